import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FunctionSource, normalizeSubPath, SourceType } from '../../src';

const codes = (s: FunctionSource) => s.validate().map((p) => `${p.code} ${p.prop}`);

describe('fromGit', () => {
  test('binds to a Shipwright Git source with revision, context dir and clone secret', () => {
    const src = FunctionSource.fromGit('https://github.com/OpenFunction/samples.git', { revision: 'main', subPath: 'functions/knative/hello-world-go/', credentials: { name: 'git-creds' } });
    expect(src.type).toBe(SourceType.GIT);
    expect(src.validate()).toEqual([]);
    expect(src.bind().buildSource).toEqual({
      type: 'Git',
      git: { url: 'https://github.com/OpenFunction/samples.git', revision: 'main', cloneSecret: 'git-creds' },
      contextDir: 'functions/knative/hello-world-go',
    });
  });

  test.each(['git@github.com:OpenFunction/samples.git', 'ssh://git@host:2222/a/b.git', 'http://127.0.0.1:8080/repo.git', 'git://host/x'])('accepts %s', (url) => {
    expect(codes(FunctionSource.fromGit(url))).toEqual([]);
  });

  test.each([
    ['', /is empty/],
    ['github.com/OpenFunction/samples', /is not a URL/],
    ['ftp://host/repo.git', /scheme ftp/],
    ['file:///tmp/repo', /scheme file/],
    ['https://host', /no repository path/],
    ['https://user:secret@host/a.git', /password/],
    ['https://host/a b.git', /whitespace/],
  ])('rejects the URL %j', (url, why) => {
    const [problem] = FunctionSource.fromGit(url).validate();
    expect(problem.code).toBe('OFN_GIT_URL');
    expect(problem.problem).toMatch(why);
  });

  test.each(['main branch', 'a..b', 'refs/heads/', 'x.lock', 'a~1', 'b^', 'c:d', '@{u}'])('rejects the revision %j', (revision) => {
    expect(codes(FunctionSource.fromGit('https://h/r.git', { revision }))).toEqual(['OFN_GIT_REVISION revision']);
  });

  test.each(['v1.2.0', 'release/1.x', 'a'.repeat(40)])('accepts the revision %j', (revision) => {
    expect(codes(FunctionSource.fromGit('https://h/r.git', { revision }))).toEqual([]);
  });

  test('rejects a sub-path that escapes the repository and a bad secret name', () => {
    expect(codes(FunctionSource.fromGit('https://h/r.git', { subPath: 'a/../../etc', credentials: { name: 'Bad_Name' } })))
      .toEqual(['OFN_SUBPATH_ESCAPES subPath', 'OFN_SECRET_NAME credentials']);
  });
});

test('normalizeSubPath keeps paths inside the root', () => {
  expect(normalizeSubPath('/samples/functions/x/')).toBe('samples/functions/x');
  expect(normalizeSubPath('./a/./b/../c')).toBe('a/c');
  expect(normalizeSubPath('..')).toBeUndefined();
  expect(normalizeSubPath('/../x')).toBeUndefined();
  expect(normalizeSubPath('')).toBe('');
});

describe('fromBundle', () => {
  test('binds to an OCI artifact; an absolute OpenFunction sub-path becomes the context dir', () => {
    const src = FunctionSource.fromBundle('openfunctiondev/sample-source-code:latest', { subPath: '/samples/functions/async/logs-handler-function/', credentials: { name: 'pull' } });
    expect(src.validate()).toEqual([]);
    expect(src.bind().buildSource).toEqual({
      type: 'OCI', ociArtifact: { image: 'openfunctiondev/sample-source-code:latest', pullSecret: 'pull' }, contextDir: 'samples/functions/async/logs-handler-function',
    });
  });

  test('rejects a bad image reference', () => {
    expect(codes(FunctionSource.fromBundle('Not:An:Image'))).toEqual(['OFN_IMAGE_REF image']);
  });
});

describe('fromLocalDirectory', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-src-'));
    fs.mkdirSync(path.join(dir, 'fn'));
    fs.writeFileSync(path.join(dir, 'fn', 'main.go'), 'package main\n');
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('derives a bundle image from the output repository, tagged with the content hash', () => {
    const config = FunctionSource.fromLocalDirectory(dir, { subPath: 'fn' }).bind({ outputImage: 'registry.example.com/demo/hello:v1' });
    expect(config.buildSource?.ociArtifact?.image).toMatch(/^registry\.example\.com\/demo\/hello-source:src-[0-9a-f]{12}$/);
    expect(config.buildSource?.contextDir).toBe('fn');
    expect(config.bundle?.directory).toBe(dir);
    expect(config.bundle?.dockerfile).toBe('FROM scratch\nCOPY . /\n');
    expect(config.bundle?.pushCommands.join('\n')).toContain(`docker push ${config.buildSource?.ociArtifact?.image}`);
  });

  test('the tag changes when a file changes, and not when an excluded file does', () => {
    const image = () => FunctionSource.fromLocalDirectory(dir).bind({ outputImage: 'r.io/a/b' }).buildSource?.ociArtifact?.image;
    const first = image();
    fs.writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/other\n');
    expect(image()).toBe(first);
    fs.writeFileSync(path.join(dir, 'fn', 'main.go'), 'package main // changed\n');
    expect(image()).not.toBe(first);
  });

  test('a given repository gets the hash tag; a given tag is kept', () => {
    expect(FunctionSource.fromLocalDirectory(dir, { image: 'r.io/src/hello' }).bind().buildSource?.ociArtifact?.image).toMatch(/^r\.io\/src\/hello:src-[0-9a-f]{12}$/);
    expect(FunctionSource.fromLocalDirectory(dir, { image: 'r.io/src/hello:mine' }).bind().buildSource?.ociArtifact?.image).toBe('r.io/src/hello:mine');
  });

  test('rejects a missing directory and a digest-pinned bundle image', () => {
    expect(codes(FunctionSource.fromLocalDirectory(path.join(dir, 'nope')))).toEqual(['OFN_LOCAL_DIRECTORY directory']);
    expect(codes(FunctionSource.fromLocalDirectory(dir, { image: 'r.io/a/b@sha256:' + 'e'.repeat(64) }))).toEqual(['OFN_IMAGE_REF image']);
  });
});

test('fromImage is a prebuilt image with nothing to build', () => {
  const src = FunctionSource.fromImage('registry.example.com/demo/hello@sha256:' + 'f'.repeat(64));
  expect(src.type).toBe(SourceType.IMAGE);
  expect(src.bind()).toEqual({ type: SourceType.IMAGE, prebuiltImage: 'registry.example.com/demo/hello@sha256:' + 'f'.repeat(64) });
  expect(codes(FunctionSource.fromImage('nope nope'))).toEqual(['OFN_IMAGE_REF image']);
});
