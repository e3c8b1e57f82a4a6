// Turns the copydesk.toml JSON Schema into VS Code settings: one `copydesk.<key>`
// setting per top-level key, written into package.json's contributes.configuration.
// The extension's own settings (copydesk.path, copydesk.trace.server) are kept.
//
//   node scripts/settings-from-schema.mjs          rewrite package.json
//   node scripts/settings-from-schema.mjs --check  exit 1 when package.json is stale
//
// The schema is the repository's copydesk.schema.json when there is one (generated
// from the config types), else this extension's copy.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const extensionDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const schemaPath = [path.join(extensionDir, '../../copydesk.schema.json'), path.join(extensionDir, 'copydesk.schema.json')]
  .find((candidate) => fs.existsSync(candidate));
const packagePath = path.join(extensionDir, 'package.json');
const OWN_SETTINGS = ['copydesk.path', 'copydesk.trace.server'];

const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
const manifest = JSON.parse(fs.readFileSync(packagePath, 'utf8'));
const current = manifest.contributes.configuration.properties;

// A setting is the key's schema without JSON-Schema-only annotations, with the
// description as markdown (VS Code renders `code` there) and a note on precedence.
function setting(key, keySchema) {
  const { description, $schema, $id, title, ...rest } = keySchema;
  return {
    ...rest,
    markdownDescription: `${description ?? ''} Same as \`${key}\` in \`copydesk.toml\`, which wins when the site has one.`.trim(),
  };
}

const properties = Object.fromEntries(OWN_SETTINGS.filter((key) => key in current).map((key) => [key, current[key]]));
for (const [key, keySchema] of Object.entries(schema.properties ?? {})) {
  properties[`copydesk.${key}`] = setting(key, keySchema);
}
const updated = { ...manifest, contributes: { ...manifest.contributes, configuration: { ...manifest.contributes.configuration, properties } } };
const text = `${JSON.stringify(updated, null, 2)}\n`;

if (process.argv.includes('--check')) {
  if (text !== fs.readFileSync(packagePath, 'utf8')) {
    console.error(`package.json's settings differ from ${path.relative(extensionDir, schemaPath)}: run node scripts/settings-from-schema.mjs`);
    process.exit(1);
  }
  console.error(`package.json's settings match ${path.relative(extensionDir, schemaPath)} (${Object.keys(schema.properties).length} keys)`);
} else {
  fs.writeFileSync(packagePath, text);
}
