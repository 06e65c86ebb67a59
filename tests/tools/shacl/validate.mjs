// validate.mjs: SHACL validation with rdf-validate-shacl, for
// tests/integration/test_dcat_shacl.py.
//
//   node validate.mjs SHAPES.ttl[,MORE.ttl...] DATA.ttl...   -> one JSON object
//   (the shapes files are read into one shapes graph)
//   {file: {"targets": [IRI of each dcat:Dataset...],
//           "results": [{"focus": IRI, "path": IRI, "component": IRI, "severity": IRI}...]}}
import fs from 'node:fs'
import path from 'node:path'
import n3 from 'n3'
import factory from '@rdfjs/data-model'
import datasetFactory from '@rdfjs/dataset'
import SHACLValidator from 'rdf-validate-shacl'

function load (file) {
  const ds = datasetFactory.dataset()
  const parser = new n3.Parser({ baseIRI: 'file://' + path.resolve(file) })
  for (const q of parser.parse(fs.readFileSync(file, 'utf8'))) {
    ds.add(factory.quad(q.subject, q.predicate, q.object))
  }
  return ds
}

const [shapesFiles, ...files] = process.argv.slice(2)
const shapes = datasetFactory.dataset()
for (const s of shapesFiles.split(',')) {
  for (const q of load(s)) shapes.add(q)
}
const out = {}
for (const f of files) {
  const validator = new SHACLValidator(shapes)
  const data = load(f)
  const report = await validator.validate(data)
  const targets = []
  for (const q of data.match(null, factory.namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'),
    factory.namedNode('http://www.w3.org/ns/dcat#Dataset'))) {
    if (q.subject.termType === 'NamedNode') targets.push(q.subject.value)
  }
  out[path.basename(f)] = { targets, results: report.results.map(r => ({
    focus: r.focusNode && r.focusNode.value,
    path: r.path && r.path.value,
    component: r.sourceConstraintComponent && r.sourceConstraintComponent.value,
    severity: r.severity && r.severity.value
  })) }
}
process.stdout.write(JSON.stringify(out) + '\n')
