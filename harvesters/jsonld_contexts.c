/* jsonld_contexts.c: the remote JSON-LD contexts catalogues name, bundled.
 *
 * The daemon never fetches a context: a document naming one of these URLs
 * gets the text below, any other remote context fails the document with
 * its URL (unless the operator supplies it: contexts_dir, struct
 * fd_jsonld_contexts at the end of this file).  Published contexts that
 * could be had whole are kept as published in harvesters/contexts/; the
 * others are reduced to what changes the RDF a catalogue produces: the
 * vocabulary mapping and the IRI-valued (@type: @id) terms; terms the full
 * published contexts map to their own names under the same vocabulary need
 * no entry.
 */
#include <errno.h>
#include <strings.h>
#include <sys/stat.h>

#include "harvesters-private.h"

static const char schema_org[] =
        "{\"@context\": {\"@vocab\": \"http://schema.org/\","
        " \"schema\": \"http://schema.org/\","
        " \"xsd\": \"http://www.w3.org/2001/XMLSchema#\","
        " \"id\": \"@id\", \"type\": \"@type\","
        " \"url\": {\"@id\": \"schema:url\", \"@type\": \"@id\"},"
        " \"sameAs\": {\"@id\": \"schema:sameAs\", \"@type\": \"@id\"},"
        " \"license\": {\"@id\": \"schema:license\", \"@type\": \"@id\"},"
        " \"contentUrl\": {\"@id\": \"schema:contentUrl\", \"@type\": \"@id\"},"
        " \"embedUrl\": {\"@id\": \"schema:embedUrl\", \"@type\": \"@id\"},"
        " \"additionalType\": {\"@id\": \"schema:additionalType\", \"@type\": \"@id\"},"
        " \"image\": {\"@id\": \"schema:image\", \"@type\": \"@id\"},"
        " \"logo\": {\"@id\": \"schema:logo\", \"@type\": \"@id\"},"
        " \"citation\": {\"@id\": \"schema:citation\", \"@type\": \"@id\"},"
        " \"isBasedOn\": {\"@id\": \"schema:isBasedOn\", \"@type\": \"@id\"},"
        " \"conditionsOfAccess\": {\"@id\": \"schema:conditionsOfAccess\"},"
        " \"datePublished\": {\"@id\": \"schema:datePublished\", \"@type\": \"schema:Date\"},"
        " \"dateModified\": {\"@id\": \"schema:dateModified\", \"@type\": \"schema:Date\"},"
        " \"dateCreated\": {\"@id\": \"schema:dateCreated\", \"@type\": \"schema:Date\"}}}";

/* Project Open Data / DCAT-US 1.1 dataset context (its DCAT reading; the
 * published catalog context is bundled whole below). */
static const char pod_v11[] =
        "{\"@context\": {\"@vocab\": \"https://project-open-data.cio.gov/v1.1/schema#\","
        " \"dcat\": \"http://www.w3.org/ns/dcat#\", \"dct\": \"http://purl.org/dc/terms/\","
        " \"foaf\": \"http://xmlns.com/foaf/0.1/\", \"vcard\": \"http://www.w3.org/2006/vcard/ns#\","
        " \"pod\": \"https://project-open-data.cio.gov/v1.1/schema#\","
        " \"dataset\": \"dcat:dataset\", \"title\": \"dct:title\", \"description\": \"dct:description\","
        " \"keyword\": \"dcat:keyword\", \"modified\": \"dct:modified\", \"issued\": \"dct:issued\","
        " \"publisher\": \"dct:publisher\", \"name\": \"foaf:name\", \"contactPoint\": \"dcat:contactPoint\","
        " \"fn\": \"vcard:fn\", \"hasEmail\": {\"@id\": \"vcard:hasEmail\", \"@type\": \"@id\"},"
        " \"identifier\": \"dct:identifier\", \"accessLevel\": \"pod:accessLevel\","
        " \"license\": {\"@id\": \"dct:license\", \"@type\": \"@id\"}, \"rights\": \"dct:rights\","
        " \"spatial\": \"dct:spatial\", \"temporal\": \"dct:temporal\","
        " \"distribution\": \"dcat:distribution\","
        " \"downloadURL\": {\"@id\": \"dcat:downloadURL\", \"@type\": \"@id\"},"
        " \"accessURL\": {\"@id\": \"dcat:accessURL\", \"@type\": \"@id\"},"
        " \"mediaType\": \"dcat:mediaType\", \"format\": \"dct:format\","
        " \"landingPage\": {\"@id\": \"dcat:landingPage\", \"@type\": \"@id\"},"
        " \"theme\": \"dcat:theme\", \"language\": \"dct:language\","
        " \"conformsTo\": {\"@id\": \"dct:conformsTo\", \"@type\": \"@id\"},"
        " \"describedBy\": {\"@id\": \"pod:describedBy\", \"@type\": \"@id\"},"
        " \"references\": {\"@id\": \"dct:references\", \"@type\": \"@id\"}}}";

/* The Hydra core context (paging terms). */
static const char hydra[] =
        "{\"@context\": {\"hydra\": \"http://www.w3.org/ns/hydra/core#\", \"@vocab\": \"http://www.w3.org/ns/hydra/core#\","
        " \"Collection\": \"hydra:Collection\", \"PartialCollectionView\": \"hydra:PartialCollectionView\","
        " \"PagedCollection\": \"hydra:PagedCollection\","
        " \"member\": {\"@id\": \"hydra:member\", \"@type\": \"@id\"},"
        " \"view\": {\"@id\": \"hydra:view\", \"@type\": \"@id\"},"
        " \"first\": {\"@id\": \"hydra:first\", \"@type\": \"@id\"},"
        " \"last\": {\"@id\": \"hydra:last\", \"@type\": \"@id\"},"
        " \"next\": {\"@id\": \"hydra:next\", \"@type\": \"@id\"},"
        " \"previous\": {\"@id\": \"hydra:previous\", \"@type\": \"@id\"},"
        " \"firstPage\": {\"@id\": \"hydra:first\", \"@type\": \"@id\"},"
        " \"lastPage\": {\"@id\": \"hydra:last\", \"@type\": \"@id\"},"
        " \"nextPage\": {\"@id\": \"hydra:nextPage\", \"@type\": \"@id\"},"
        " \"previousPage\": {\"@id\": \"hydra:previousPage\", \"@type\": \"@id\"},"
        " \"totalItems\": \"hydra:totalItems\", \"itemsPerPage\": \"hydra:itemsPerPage\"}}";

/* DCAT-AP (SEMIC).  3.0.0 and 3.0.1:
 *   https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld
 *   https://semiceu.github.io/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld
 * (source: github.com/SEMICeu/DCAT-AP releases/3.0.x/context/dcat-ap.jsonld).
 * The published context scopes its property terms by type; no term is
 * defined two ways across the types, so here they are one flat context
 * (which our reader supports) with the class names; @set containers, which
 * change no triple, are left out.  2.0.1, flat as published:
 *   https://semiceu.github.io/DCAT-AP/releases/2.0.1/dcat-ap_2.0.1.jsonld
 * (source: github.com/SEMICeu/DCAT-AP releases/2.0.1/dcat-ap_2.0.1.jsonld;
 * its IRIs as published, servesdataset and time/hasBeginning included).
 * What both define the same way is written once. */
#define DCAT_AP_COMMON \
        "\"Activity\": \"http://www.w3.org/ns/prov#Activity\", " \
        "\"Agent\": \"http://xmlns.com/foaf/0.1/Agent\", " \
        "\"Attribution\": \"http://www.w3.org/ns/prov#Attribution\", " \
        "\"Catalogue\": \"http://www.w3.org/ns/dcat#Catalog\", " \
        "\"CatalogueRecord\": \"http://www.w3.org/ns/dcat#CatalogRecord\", " \
        "\"CataloguedResource\": \"http://www.w3.org/ns/dcat#Resource\", " \
        "\"Checksum\": \"http://spdx.org/rdf/terms#Checksum\", " \
        "\"Concept\": \"http://www.w3.org/2004/02/skos/core#Concept\", " \
        "\"ConceptScheme\": \"http://www.w3.org/2004/02/skos/core#ConceptScheme\", " \
        "\"DataService\": \"http://www.w3.org/ns/dcat#DataService\", " \
        "\"Dataset\": \"http://www.w3.org/ns/dcat#Dataset\", " \
        "\"Distribution\": \"http://www.w3.org/ns/dcat#Distribution\", " \
        "\"Document\": \"http://xmlns.com/foaf/0.1/Document\", " \
        "\"Frequency\": \"http://purl.org/dc/terms/Frequency\", " \
        "\"Identifier\": \"http://www.w3.org/ns/adms#Identifier\", " \
        "\"Kind\": \"http://www.w3.org/2006/vcard/ns#Kind\", " \
        "\"LicenceDocument\": \"http://purl.org/dc/terms/LicenseDocument\", " \
        "\"LinguisticSystem\": \"http://purl.org/dc/terms/LinguisticSystem\", " \
        "\"Location\": \"http://purl.org/dc/terms/Location\", " \
        "\"MediaType\": \"http://purl.org/dc/terms/MediaType\", " \
        "\"MediaTypeOrExtent\": \"http://purl.org/dc/terms/MediaTypeOrExtent\", " \
        "\"PeriodOfTime\": \"http://purl.org/dc/terms/PeriodOfTime\", " \
        "\"ProvenanceStatement\": \"http://purl.org/dc/terms/ProvenanceStatement\", " \
        "\"Relationship\": \"http://www.w3.org/ns/dcat#Relationship\", " \
        "\"RightsStatement\": \"http://purl.org/dc/terms/RightsStatement\", " \
        "\"Role\": \"http://www.w3.org/ns/dcat#Role\", " \
        "\"Standard\": \"http://purl.org/dc/terms/Standard\", " \
        "\"accessRights\": {\"@id\": \"http://purl.org/dc/terms/accessRights\", \"@type\": \"@id\"}, " \
        "\"accessService\": {\"@id\": \"http://www.w3.org/ns/dcat#accessService\", \"@type\": \"@id\"}, " \
        "\"algorithm\": {\"@id\": \"http://spdx.org/rdf/terms#algorithm\", \"@type\": \"@id\"}, " \
        "\"applicationProfile\": {\"@id\": \"http://purl.org/dc/terms/conformsTo\", \"@type\": \"@id\"}, " \
        "\"availability\": {\"@id\": \"http://data.europa.eu/r5r/availability\", \"@type\": \"@id\"}, " \
        "\"bbox\": \"http://www.w3.org/ns/dcat#bbox\", " \
        "\"byteSize\": {\"@id\": \"http://www.w3.org/ns/dcat#byteSize\", \"@type\": \"http://www.w3.org/2001/XMLSchema#nonNegativeInteger\"}, " \
        "\"catalogue\": {\"@id\": \"http://www.w3.org/ns/dcat#catalog\", \"@type\": \"@id\"}, " \
        "\"centroid\": \"http://www.w3.org/ns/dcat#centroid\", " \
        "\"changeType\": {\"@id\": \"http://www.w3.org/ns/adms#status\", \"@type\": \"@id\"}, " \
        "\"checksum\": {\"@id\": \"http://spdx.org/rdf/terms#checksum\", \"@type\": \"@id\"}, " \
        "\"checksumValue\": {\"@id\": \"http://spdx.org/rdf/terms#checksumValue\", \"@type\": \"http://www.w3.org/2001/XMLSchema#hexBinary\"}, " \
        "\"compressionFormat\": {\"@id\": \"http://www.w3.org/ns/dcat#compressFormat\", \"@type\": \"@id\"}, " \
        "\"conformsTo\": {\"@id\": \"http://purl.org/dc/terms/conformsTo\", \"@type\": \"@id\"}, " \
        "\"contactPoint\": {\"@id\": \"http://www.w3.org/ns/dcat#contactPoint\", \"@type\": \"@id\"}, " \
        "\"creator\": {\"@id\": \"http://purl.org/dc/terms/creator\", \"@type\": \"@id\"}, " \
        "\"dataset\": {\"@id\": \"http://www.w3.org/ns/dcat#dataset\", \"@type\": \"@id\"}, " \
        "\"datasetDistribution\": {\"@id\": \"http://www.w3.org/ns/dcat#distribution\", \"@type\": \"@id\"}, " \
        "\"description\": \"http://purl.org/dc/terms/description\", " \
        "\"documentation\": {\"@id\": \"http://xmlns.com/foaf/0.1/page\", \"@type\": \"@id\"}, " \
        "\"end\": {\"@id\": \"http://www.w3.org/2006/time#hasEnd\", \"@type\": \"@id\"}, " \
        "\"endDate\": \"http://www.w3.org/ns/dcat#endDate\", " \
        "\"endpointDescription\": {\"@id\": \"http://www.w3.org/ns/dcat#endpointDescription\", \"@type\": \"@id\"}, " \
        "\"format\": {\"@id\": \"http://purl.org/dc/terms/format\", \"@type\": \"@id\"}, " \
        "\"frequency\": {\"@id\": \"http://purl.org/dc/terms/accrualPeriodicity\", \"@type\": \"@id\"}, " \
        "\"geographicalCoverage\": {\"@id\": \"http://purl.org/dc/terms/spatial\", \"@type\": \"@id\"}, " \
        "\"geometry\": {\"@id\": \"http://www.w3.org/ns/locn#geometry\", \"@type\": \"@id\"}, " \
        "\"hadRole\": {\"@id\": \"http://www.w3.org/ns/dcat#hadRole\", \"@type\": \"@id\"}, " \
        "\"hasPart\": {\"@id\": \"http://purl.org/dc/terms/hasPart\", \"@type\": \"@id\"}, " \
        "\"hasPolicy\": {\"@id\": \"http://www.w3.org/ns/odrl/2/hasPolicy\", \"@type\": \"@id\"}, " \
        "\"homepage\": {\"@id\": \"http://xmlns.com/foaf/0.1/homepage\", \"@type\": \"@id\"}, " \
        "\"identifier\": \"http://purl.org/dc/terms/identifier\", " \
        "\"isReferencedBy\": {\"@id\": \"http://purl.org/dc/terms/isReferencedBy\", \"@type\": \"@id\"}, " \
        "\"keyword\": \"http://www.w3.org/ns/dcat#keyword\", " \
        "\"landingPage\": {\"@id\": \"http://www.w3.org/ns/dcat#landingPage\", \"@type\": \"@id\"}, " \
        "\"language\": {\"@id\": \"http://purl.org/dc/terms/language\", \"@type\": \"@id\"}, " \
        "\"licence\": {\"@id\": \"http://purl.org/dc/terms/license\", \"@type\": \"@id\"}, " \
        "\"linkedSchemas\": {\"@id\": \"http://purl.org/dc/terms/conformsTo\", \"@type\": \"@id\"}, " \
        "\"listingDate\": \"http://purl.org/dc/terms/issued\", " \
        "\"mediaType\": {\"@id\": \"http://www.w3.org/ns/dcat#mediaType\", \"@type\": \"@id\"}, " \
        "\"modificationDate\": \"http://purl.org/dc/terms/modified\", " \
        "\"name\": \"http://xmlns.com/foaf/0.1/name\", " \
        "\"notation\": \"http://www.w3.org/2004/02/skos/core#notation\", " \
        "\"otherIdentifier\": {\"@id\": \"http://www.w3.org/ns/adms#identifier\", \"@type\": \"@id\"}, " \
        "\"packagingFormat\": {\"@id\": \"http://www.w3.org/ns/dcat#packageFormat\", \"@type\": \"@id\"}, " \
        "\"preferredLabel\": \"http://www.w3.org/2004/02/skos/core#prefLabel\", " \
        "\"primaryTopic\": {\"@id\": \"http://xmlns.com/foaf/0.1/primaryTopic\", \"@type\": \"@id\"}, " \
        "\"provenance\": {\"@id\": \"http://purl.org/dc/terms/provenance\", \"@type\": \"@id\"}, " \
        "\"publisher\": {\"@id\": \"http://purl.org/dc/terms/publisher\", \"@type\": \"@id\"}, " \
        "\"qualifiedAttribution\": {\"@id\": \"http://www.w3.org/ns/prov#qualifiedAttribution\", \"@type\": \"@id\"}, " \
        "\"qualifiedRelation\": {\"@id\": \"http://www.w3.org/ns/dcat#qualifiedRelation\", \"@type\": \"@id\"}, " \
        "\"record\": {\"@id\": \"http://www.w3.org/ns/dcat#record\", \"@type\": \"@id\"}, " \
        "\"relatedResource\": {\"@id\": \"http://purl.org/dc/terms/relation\", \"@type\": \"@id\"}, " \
        "\"relation\": {\"@id\": \"http://purl.org/dc/terms/relation\", \"@type\": \"@id\"}, " \
        "\"releaseDate\": \"http://purl.org/dc/terms/issued\", " \
        "\"rights\": {\"@id\": \"http://purl.org/dc/terms/rights\", \"@type\": \"@id\"}, " \
        "\"sample\": {\"@id\": \"http://www.w3.org/ns/adms#sample\", \"@type\": \"@id\"}, " \
        "\"service\": {\"@id\": \"http://www.w3.org/ns/dcat#service\", \"@type\": \"@id\"}, " \
        "\"source\": {\"@id\": \"http://purl.org/dc/terms/source\", \"@type\": \"@id\"}, " \
        "\"sourceMetadata\": {\"@id\": \"http://purl.org/dc/terms/source\", \"@type\": \"@id\"}, " \
        "\"spatialResolution\": {\"@id\": \"http://www.w3.org/ns/dcat#spatialResolutionInMeters\", \"@type\": \"http://www.w3.org/2001/XMLSchema#decimal\"}, " \
        "\"startDate\": \"http://www.w3.org/ns/dcat#startDate\", " \
        "\"status\": {\"@id\": \"http://www.w3.org/ns/adms#status\", \"@type\": \"@id\"}, " \
        "\"temporalCoverage\": {\"@id\": \"http://purl.org/dc/terms/temporal\", \"@type\": \"@id\"}, " \
        "\"temporalResolution\": {\"@id\": \"http://www.w3.org/ns/dcat#temporalResolution\", \"@type\": \"http://www.w3.org/2001/XMLSchema#duration\"}, " \
        "\"theme\": {\"@id\": \"http://www.w3.org/ns/dcat#theme\", \"@type\": \"@id\"}, " \
        "\"themes\": {\"@id\": \"http://www.w3.org/ns/dcat#themeTaxonomy\", \"@type\": \"@id\"}, " \
        "\"title\": \"http://purl.org/dc/terms/title\", " \
        "\"type\": {\"@id\": \"http://purl.org/dc/terms/type\", \"@type\": \"@id\"}, " \
        "\"versionNotes\": \"http://www.w3.org/ns/adms#versionNotes\", " \
        "\"wasGeneratedBy\": {\"@id\": \"http://www.w3.org/ns/prov#wasGeneratedBy\", \"@type\": \"@id\"}"

static const char dcat_ap_3[] =
        "{\"@context\": {" DCAT_AP_COMMON ", "
        "\"DatasetSeries\": \"http://www.w3.org/ns/dcat#DatasetSeries\", "
        "\"accessUrl\": {\"@id\": \"http://www.w3.org/ns/dcat#accessURL\", \"@type\": \"@id\"}, "
        "\"applicableLegislation\": {\"@id\": \"http://data.europa.eu/r5r/applicableLegislation\", \"@type\": \"@id\"}, "
        "\"beginning\": {\"@id\": \"http://www.w3.org/2006/time#hasBeginning\", \"@type\": \"@id\"}, "
        "\"downloadUrl\": {\"@id\": \"http://www.w3.org/ns/dcat#downloadURL\", \"@type\": \"@id\"}, "
        "\"endpointUrl\": {\"@id\": \"http://www.w3.org/ns/dcat#endpointURL\", \"@type\": \"@id\"}, "
        "\"first\": {\"@id\": \"http://www.w3.org/ns/dcat#first\", \"@type\": \"@id\"}, "
        "\"hasVersion\": {\"@id\": \"http://www.w3.org/ns/dcat#hasVersion\", \"@type\": \"@id\"}, "
        "\"inSeries\": {\"@id\": \"http://www.w3.org/ns/dcat#inSeries\", \"@type\": \"@id\"}, "
        "\"last\": {\"@id\": \"http://www.w3.org/ns/dcat#last\", \"@type\": \"@id\"}, "
        "\"seriesMember\": {\"@id\": \"http://www.w3.org/ns/dcat#seriesMember\", \"@type\": \"@id\"}, "
        "\"servesDataset\": {\"@id\": \"http://www.w3.org/ns/dcat#servesDataset\", \"@type\": \"@id\"}, "
        "\"version\": \"http://www.w3.org/ns/dcat#version\"}}";

static const char dcat_ap_2[] =
        "{\"@context\": {" DCAT_AP_COMMON ", "
        "\"Category\": \"http://www.w3.org/2004/02/skos/core#Concept\", "
        "\"CategoryScheme\": \"http://www.w3.org/2004/02/skos/core#ConceptScheme\", "
        "\"PublisherType\": \"http://www.w3.org/2004/02/skos/core#Concept\", "
        "\"Status\": \"http://www.w3.org/2004/02/skos/core#Concept\", "
        "\"MediaTypeorExtent\": \"http://purl.org/dc/terms/MediaTypeorExtent\", "
        "\"beginning\": {\"@id\": \"http://www.w3.org/2006/time/hasBeginning\", \"@type\": \"@id\"}, "
        "\"hasVersion\": {\"@id\": \"http://purl.org/dc/terms/hasVersion\", \"@type\": \"@id\"}, "
        "\"servesDataset\": {\"@id\": \"http://www.w3.org/ns/dcat#servesdataset\", \"@type\": \"@id\"}, "
        "\"version\": \"http://www.w3.org/2002/07/owl#versionInfo\", "
        "\"accessURL\": {\"@id\": \"http://www.w3.org/ns/dcat#accessURL\", \"@type\": \"@id\"}, "
        "\"downloadURL\": {\"@id\": \"http://www.w3.org/ns/dcat#downloadURL\", \"@type\": \"@id\"}, "
        "\"endpointURL\": {\"@id\": \"http://www.w3.org/ns/dcat#endpointURL\", \"@type\": \"@id\"}, "
        "\"isPartOf\": {\"@id\": \"http://purl.org/dc/terms/isPartOf\", \"@type\": \"@id\"}, "
        "\"isVersionOf\": {\"@id\": \"http://purl.org/dc/terms/isVersionOf\", \"@type\": \"@id\"}, "
        "\"tag\": \"http://www.w3.org/ns/dcat#keyword\", "
        "\"category\": {\"@id\": \"http://www.w3.org/ns/dcat#theme\", \"@type\": \"@id\"}, "
        "\"spatial\": {\"@id\": \"http://purl.org/dc/terms/spatial\", \"@type\": \"@id\"}, "
        "\"geographic\": {\"@id\": \"http://purl.org/dc/terms/spatial\", \"@type\": \"@id\"}, "
        "\"updateDate\": \"http://purl.org/dc/terms/modified\", "
        "\"licenceType\": {\"@id\": \"http://purl.org/dc/terms/type\", \"@type\": \"@id\"}}}";

/* Published contexts kept as they are in harvesters/contexts/ (embedded at
 * build time by embed.py).  SEMIC's context of the DCAT-AP 3.0.0
 * specification's examples: releases/3.0.0/html/examples/context.jsonld of
 * github.com/SEMICeu/DCAT-AP (commit f42dd98), named by the examples as
 * https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld */
extern const char fd_jsonld_ctx_dcat_ap_3_0_0_examples[];
/* Project Open Data's v1.1 catalog context: v1.1/schema/catalog.jsonld of
 * github.com/project-open-data/project-open-data.github.io (commit 7cd9566).
 * (A data.json naming it is read by name, dcat_json.c; this serves the other
 * JSON-LD documents that name it.) */
extern const char fd_jsonld_ctx_pod_v1_1_catalog[];

static const struct {
        const char *url;
        const char *text;
} bundled[] = {
        {"https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld",
         fd_jsonld_ctx_dcat_ap_3_0_0_examples},
        {"https://semiceu.github.io/DCAT-AP/releases/3.0.0/html/examples/context.jsonld",
         fd_jsonld_ctx_dcat_ap_3_0_0_examples},
        {"http://schema.org", schema_org},
        {"https://schema.org", schema_org},
        {"http://schema.org/", schema_org},
        {"https://schema.org/", schema_org},
        {"http://schema.org/docs/jsonldcontext.json", schema_org},
        {"https://schema.org/docs/jsonldcontext.json", schema_org},
        {"https://schema.org/docs/jsonldcontext.jsonld", schema_org},
        {"https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld", fd_jsonld_ctx_pod_v1_1_catalog},
        {"http://project-open-data.cio.gov/v1.1/schema/catalog.jsonld", fd_jsonld_ctx_pod_v1_1_catalog},
        {"https://project-open-data.cio.gov/v1.1/schema/dataset.jsonld", pod_v11},
        {"http://www.w3.org/ns/hydra/context.jsonld", hydra},
        {"https://www.w3.org/ns/hydra/context.jsonld", hydra},
        {"https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld", dcat_ap_3},
        {"https://semiceu.github.io/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld", dcat_ap_3},
        {"https://semiceu.github.io/DCAT-AP/releases/2.0.1/dcat-ap_2.0.1.jsonld", dcat_ap_2},
};

const char *fd_jsonld_bundled(const char *url) {
        for (size_t i = 0; i < FD_ELEMENTSOF(bundled); i++)
                if (strcmp(url, bundled[i].url) == 0)
                        return bundled[i].text;
        return NULL;
}

/* ---- the operator's contexts (contexts_dir) ------------------------------------ */

#define CONTEXT_MAX_BYTES (8u << 20)
#define CONTEXTS_MAX_BYTES (64u << 20)
#define CONTEXTS_MAX 4096

struct fd_jsonld_contexts {
        json_t *map;  /* URL -> document */
        size_t bytes;
};

enum fd_status fd_jsonld_contexts_new(struct fd_jsonld_contexts **ret, struct fd_error *err) {
        struct fd_jsonld_contexts *c = calloc(1, sizeof *c);
        if (!c || !(c->map = json_object())) {
                free(c);
                return fd_error_set(err, FD_E_NOMEM, "out of memory for JSON-LD contexts");
        }
        *ret = c;
        return FD_OK;
}

void fd_jsonld_contexts_free(struct fd_jsonld_contexts *c) {
        if (!c)
                return;
        json_decref(c->map);
        free(c);
}

json_t *fd_jsonld_contexts_get(const struct fd_jsonld_contexts *c, const char *url) {
        return c ? json_object_get(c->map, url) : NULL;
}

enum fd_status fd_jsonld_contexts_add(struct fd_jsonld_contexts *c, const char *url, const char *path,
                                      struct fd_error *err) {
        struct stat sb;
        json_error_t je;
        _fd_cleanup_(fd_file_freep) FILE *f = fopen(path, "rb");

        if (!f || fstat(fileno(f), &sb) != 0)
                return fd_error_set(err, FD_E_IO, "cannot read JSON-LD context '%s': %s", path, strerror(errno));
        if ((uint64_t)sb.st_size > CONTEXT_MAX_BYTES)
                return fd_error_set(err, FD_E_LIMIT, "JSON-LD context '%s' exceeds %u bytes", path, CONTEXT_MAX_BYTES);
        if (c->bytes + (size_t)sb.st_size > CONTEXTS_MAX_BYTES || json_object_size(c->map) >= CONTEXTS_MAX)
                return fd_error_set(err, FD_E_LIMIT, "JSON-LD context '%s' is one too many (at most %d contexts, %u bytes)",
                                    path, CONTEXTS_MAX, CONTEXTS_MAX_BYTES);
        json_t *doc = json_loadf(f, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
        if (!doc)
                return fd_error_set(err, FD_E_PARSE, "'%s' line %d column %d: %s", path, je.line, je.column, je.text);
        json_object_set_new(c->map, url, doc);
        c->bytes += (size_t)sb.st_size;
        return FD_OK;
}

enum fd_status fd_jsonld_contexts_load(const char *dir, struct fd_jsonld_contexts **ret, struct fd_error *err) {
        _fd_cleanup_(fd_jsonld_contexts_freep) struct fd_jsonld_contexts *c = NULL;
        _fd_free_ char *index = NULL, *line = NULL;
        size_t cap = 0, lineno = 0;
        ssize_t n;
        enum fd_status st;

        if (asprintf(&index, "%s/index.tsv", dir) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory for JSON-LD contexts");
        _fd_cleanup_(fd_file_freep) FILE *f = fopen(index, "r");
        if (!f)
                return fd_error_set(err, FD_E_IO, "cannot read JSON-LD context index '%s': %s", index, strerror(errno));
        if ((st = fd_jsonld_contexts_new(&c, err)))
                return st;
        while ((n = getline(&line, &cap, f)) >= 0) {
                lineno++;
                while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                        line[--n] = '\0';
                if (n == 0 || line[0] == '#')
                        continue;
                char *tab = strchr(line, '\t');
                if (!tab || tab == line || !tab[1] || strchr(tab + 1, '\t'))
                        return fd_error_set(err, FD_E_INVALID,
                                            "malformed line %zu in JSON-LD context index '%s': want URL<TAB>file", lineno,
                                            index);
                *tab = '\0';
                _fd_free_ char *path = NULL;
                if (tab[1] == '/' ? !(path = strdup(tab + 1)) : asprintf(&path, "%s/%s", dir, tab + 1) < 0)
                        return fd_error_set(err, FD_E_NOMEM, "out of memory for JSON-LD contexts");
                json_t *doc;
                if (!(st = fd_jsonld_contexts_add(c, line, path, err)) &&
                    (!json_is_object(doc = fd_jsonld_contexts_get(c, line)) || !json_object_get(doc, "@context")))
                        st = fd_error_set(err, FD_E_PARSE, "'%s' has no top-level \"@context\"", path);
                if (st) {
                        fd_error_prefix(err, "JSON-LD context index '%s' line %zu", index, lineno);
                        return st;
                }
        }
        *ret = FD_TAKE_PTR(c);
        return FD_OK;
}
