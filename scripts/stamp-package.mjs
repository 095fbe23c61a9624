// Stamps pkg.json (the npm manifest's source) onto pkg/package.json, with the crate's version.
import { readFileSync, writeFileSync } from 'node:fs';

const cargo = readFileSync(new URL('../Cargo.toml', import.meta.url), 'utf8');
const version = /\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/s.exec(cargo)?.[1];
if (!version) throw new Error('no [workspace.package] version in Cargo.toml');

const manifest = JSON.parse(readFileSync(new URL('../pkg.json', import.meta.url), 'utf8'));
manifest.version = version;
writeFileSync(new URL('../pkg/package.json', import.meta.url), JSON.stringify(manifest, null, 2) + '\n');
// The node build is CommonJS inside an ESM package.
writeFileSync(new URL('../pkg/node/package.json', import.meta.url), '{ "type": "commonjs" }\n');
console.log(`pkg/package.json: ${manifest.name}@${version}`);
