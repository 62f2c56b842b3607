import { checkPushableImage, parseImageReference, repositoryOf, withoutDigest } from '../../src/common/image';

describe('parseImageReference', () => {
  test.each([
    ['registry.example.com/demo/hello:v1', { registry: 'registry.example.com', repository: 'demo/hello', tag: 'v1' }],
    ['localhost:5000/hello', { registry: 'localhost:5000', repository: 'hello' }],
    ['openfunctiondev/sample-go-func:latest', { repository: 'openfunctiondev/sample-go-func', tag: 'latest' }],
    ['hello', { repository: 'hello' }],
    ['ghcr.io/a/b/c@sha256:' + 'a'.repeat(64), { registry: 'ghcr.io', repository: 'a/b/c', digest: 'sha256:' + 'a'.repeat(64) }],
    ['127.0.0.1:5000/x/y:1.0@sha256:' + 'b'.repeat(64), { registry: '127.0.0.1:5000', repository: 'x/y', tag: '1.0', digest: 'sha256:' + 'b'.repeat(64) }],
  ])('parses %s', (ref, expected) => {
    expect(parseImageReference(ref)).toEqual({ registry: undefined, tag: undefined, digest: undefined, ...expected });
  });

  test.each(['', 'Registry/Hello', 'hello world', 'demo/hello:', 'demo/hello@sha256:abc', 'demo//hello', ':v1', 'demo/-hello'])('rejects %j', (ref) => {
    expect(parseImageReference(ref)).toBeUndefined();
  });
});

describe('checkPushableImage', () => {
  test('accepts a registry repository and a Docker Hub namespace', () => {
    expect(checkPushableImage('registry.example.com/hello:v1')).toBeUndefined();
    expect(checkPushableImage('openfunctiondev/sample-go-func:latest')).toBeUndefined();
  });
  test('rejects a bare name, a digest and garbage, saying why', () => {
    expect(checkPushableImage('hello:v1')).toMatch(/no registry or repository/);
    expect(checkPushableImage('a/b@sha256:' + 'c'.repeat(64))).toMatch(/digest/);
    expect(checkPushableImage('Not An Image')).toMatch(/not a valid image reference/);
    expect(checkPushableImage('')).toMatch(/empty/);
  });
});

test('repositoryOf and withoutDigest strip tag and digest', () => {
  const digest = 'sha256:' + 'd'.repeat(64);
  expect(repositoryOf(`reg.io:5000/a/b:v1@${digest}`)).toBe('reg.io:5000/a/b');
  expect(repositoryOf('a/b:v1')).toBe('a/b');
  expect(withoutDigest(`a/b:v1@${digest}`)).toBe('a/b:v1');
});
