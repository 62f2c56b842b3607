import { Builder } from '../../src';

test('has an OpenFunction builder image per language', () => {
  for (const b of [Builder.GO, Builder.NODEJS, Builder.JAVA, Builder.PYTHON, Builder.DOTNET]) {
    expect(b.image).toMatch(/^openfunction\//);
    expect(b.validate()).toEqual([]);
  }
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
