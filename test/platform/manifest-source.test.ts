import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ManifestSource, ManifestSourceError } from '../../src';

// A static file server on 127.0.0.1 in its own process: the synchronous download blocks this one.
const SERVER = `
const http = require('http'), fs = require('fs'), path = require('path');
const root = process.argv[1];
const server = http.createServer((req, res) => {
  if (req.url === '/moved/keda.yaml') { res.writeHead(302, { location: '/keda/v2.20.2/keda-2.20.2.yaml' }); return res.end(); }
  const file = path.join(root, decodeURIComponent(req.url));
  if (!file.startsWith(root) || !fs.existsSync(file)) { res.writeHead(404); return res.end('not found'); }
  res.writeHead(200); fs.createReadStream(file).pipe(res);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

let server: ChildProcess;
let baseUrl: string;
let root: string;
let work: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-served-'));
  fs.mkdirSync(path.join(root, 'keda', 'v2.20.2'), { recursive: true });
  fs.writeFileSync(path.join(root, 'keda', 'v2.20.2', 'keda-2.20.2.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: keda\n');
  server = spawn(process.execPath, ['-e', SERVER, root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => server.stdout!.once('data', (d) => resolve(String(d).trim())));
  baseUrl = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.kill();
  fs.rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-cache-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

const KEDA = { file: 'keda/v2.20.2/keda-2.20.2.yaml', upstreamUrl: 'https://github.com/kedacore/keda/releases/download/v2.20.2/keda-2.20.2.yaml' };

test('downloads once, records the sha256 in the lock file and reads the cache afterwards', () => {
  const lockFile = path.join(work, 'lock.json');
  const source = ManifestSource.upstream({ baseUrl, cacheDirectory: path.join(work, 'cache'), lockFile });
  expect(source.read(KEDA)).toContain('name: keda');
  const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
  expect(Object.keys(lock)).toEqual([`${baseUrl}/keda/v2.20.2/keda-2.20.2.yaml`]);
  expect(lock[`${baseUrl}/keda/v2.20.2/keda-2.20.2.yaml`]).toMatch(/^[0-9a-f]{64}$/);
  // The server's copy changes, the cache does not: the second read is the locked bytes.
  fs.writeFileSync(path.join(root, KEDA.file), 'changed');
  expect(source.read(KEDA)).toContain('name: keda');
  fs.writeFileSync(path.join(root, KEDA.file), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: keda\n');
});

test('a download that does not match the lock is an error naming both hashes', () => {
  const lockFile = path.join(work, 'lock.json');
  fs.writeFileSync(lockFile, JSON.stringify({ [`${baseUrl}/keda/v2.20.2/keda-2.20.2.yaml`]: '0'.repeat(64) }));
  const source = ManifestSource.upstream({ baseUrl, cacheDirectory: path.join(work, 'cache'), lockFile });
  expect(() => source.read(KEDA)).toThrow(ManifestSourceError);
  expect(() => source.read(KEDA)).toThrow(new RegExp(`sha256 of ${baseUrl.replace(/[.]/g, '\\.')}/keda/v2\\.20\\.2/keda-2\\.20\\.2\\.yaml is [0-9a-f]{64}, but .*lock\\.json locks it to 0{64}`));
});

test('a missing file is an error naming the URL', () => {
  const source = ManifestSource.upstream({ baseUrl, cacheDirectory: path.join(work, 'cache'), lockFile: path.join(work, 'lock.json') });
  expect(() => source.read({ file: 'dapr/1.18.3/dapr.yaml' })).toThrow(new RegExp(`could not download ${baseUrl.replace(/[.]/g, '\\.')}/dapr/1\\.18\\.3/dapr\\.yaml: HTTP 404`));
});

test('redirects are followed', () => {
  const source = ManifestSource.upstream({ cacheDirectory: path.join(work, 'cache'), lockFile: path.join(work, 'lock.json') });
  expect(source.read({ file: 'keda/v2.20.2/keda-2.20.2.yaml', upstreamUrl: `${baseUrl}/moved/keda.yaml` })).toContain('kind: Namespace');
});

test('a component with no downloadable manifest asks for a mirror', () => {
  const source = ManifestSource.upstream({ cacheDirectory: path.join(work, 'cache'), lockFile: path.join(work, 'lock.json') });
  expect(() => source.read({ file: 'dapr/1.18.3/dapr.yaml' })).toThrow(/dapr\/1\.18\.3\/dapr\.yaml has no downloadable upstream manifest .* use ManifestSource\.mirror\(dir\) or OFN_MANIFEST_MIRROR/);
});

test('describe says where manifests come from', () => {
  expect(ManifestSource.mirror('/tmp/x').describe()).toBe('mirror /tmp/x');
  expect(ManifestSource.upstream({ baseUrl: 'http://a', cacheDirectory: '/tmp/c' }).describe()).toBe('http://a (cached in /tmp/c)');
});
