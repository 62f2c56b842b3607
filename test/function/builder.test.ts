import { Builder } from '../../src';

test('has the builder image OpenFunction documents per language', () => {
  expect([Builder.GO, Builder.NODEJS, Builder.JAVA, Builder.JAVA_11, Builder.JAVA_17, Builder.PYTHON, Builder.DOTNET].map((b) => b.image)).toEqual([
    'openfunction/builder-go:v2.4.0-1.17', 'openfunction/builder-node:v2-16.15', 'openfunction/builder-java:v2-18', 'openfunction/builder-java:v2-11',
    'openfunction/builder-java:v2-17', 'openfunction/gcp-builder:v1', 'openfunction/gcp-builder:v1',
  ]);
  for (const b of [Builder.GO, Builder.NODEJS, Builder.JAVA, Builder.PYTHON, Builder.DOTNET]) expect(b.validate()).toEqual([]);
  expect(Builder.languages).toEqual(['go', 'nodejs', 'java', 'python', 'dotnet']);
});

test('forLanguage finds a builder by name or alias', () => {
  expect(Builder.forLanguage('Go')).toBe(Builder.GO);
  expect(Builder.forLanguage('golang')).toBe(Builder.GO);
  expect(Builder.forLanguage('node')).toBe(Builder.NODEJS);
});

test('forLanguage names the unknown language and the fix', () => {
  expect(() => Builder.forLanguage('rust')).toThrow(/unknown builder language "rust"; use one of go, nodejs, java, python, dotnet, or Builder\.fromImage/);
});

test('fromImage takes any builder, with pull credentials', () => {
  const b = Builder.fromImage('registry.example.com/builders/rust:1', { language: 'rust', credentials: { name: 'builder-pull' } });
  expect(b.language).toBe('rust');
  expect(b.credentials).toEqual({ name: 'builder-pull' });
  expect(Builder.GO.withCredentials({ name: 'x' }).image).toBe(Builder.GO.image);
  expect(Builder.fromImage('Not An Image').validate().map((p) => p.code)).toEqual(['OFN_IMAGE_REF']);
});
