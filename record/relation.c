/* relation.c: DataCite's relation types and their inverses.
 *
 * The pairs are those of the DataCite Metadata Schema 4.5 (appendix 1,
 * relationType: "IsCitedBy"/"Cites", …); the `related` op names a link
 * stated by another record from this record's side with them ("B
 * IsSupplementTo A" shows on A as "IsSupplementedBy B").  IsIdenticalTo
 * is its own inverse; IsPublishedIn has none in the schema.
 */
#include <string.h>
#include <strings.h>

#include "fd_record.h"

static const char *const pairs[][2] = {
        { "IsCitedBy", "Cites" },
        { "IsSupplementTo", "IsSupplementedBy" },
        { "IsContinuedBy", "Continues" },
        { "IsDescribedBy", "Describes" },
        { "HasMetadata", "IsMetadataFor" },
        { "HasVersion", "IsVersionOf" },
        { "IsNewVersionOf", "IsPreviousVersionOf" },
        { "IsPartOf", "HasPart" },
        { "IsReferencedBy", "References" },
        { "IsDocumentedBy", "Documents" },
        { "IsCompiledBy", "Compiles" },
        { "IsVariantFormOf", "IsOriginalFormOf" },
        { "IsIdenticalTo", "IsIdenticalTo" },
        { "IsReviewedBy", "Reviews" },
        { "IsDerivedFrom", "IsSourceOf" },
        { "IsRequiredBy", "Requires" },
        { "IsObsoletedBy", "Obsoletes" },
        { "IsCollectedBy", "Collects" },
        { "HasTranslation", "IsTranslationOf" },
        /* not DataCite's: DCAT's dcat:servesDataset (of a dcat:DataService)
         * and a distribution's dcat:accessService, as harvesters/dcat_map.c
         * names them */
        { "ServesDataset", "HasAccessService" },
};

const char *fd_relation_inverse(const char *relation) {
        if (!relation)
                return NULL;
        for (size_t i = 0; i < FD_ELEMENTSOF(pairs); i++) {
                if (strcasecmp(pairs[i][0], relation) == 0)
                        return pairs[i][1];
                if (strcasecmp(pairs[i][1], relation) == 0)
                        return pairs[i][0];
        }
        return NULL;
}
