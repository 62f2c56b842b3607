import { conditionInputs, disjunctionInputs, parseCondition } from '../../src';

describe('parsing conditions', () => {
  test('an input name is a condition', () => {
    expect(parseCondition('tick')).toEqual({ node: { kind: 'input', name: 'tick' } });
  });

  test('&& binds tighter than ||, and parentheses group', () => {
    expect(parseCondition('a || b && c').node).toEqual({ kind: 'or', operands: [{ kind: 'input', name: 'a' }, { kind: 'and', operands: [{ kind: 'input', name: 'b' }, { kind: 'input', name: 'c' }] }] });
    expect(parseCondition('(a || b) && c').node).toEqual({ kind: 'and', operands: [{ kind: 'or', operands: [{ kind: 'input', name: 'a' }, { kind: 'input', name: 'b' }] }, { kind: 'input', name: 'c' }] });
  });

  test('! negates', () => {
    expect(parseCondition('tick && !maintenance').node).toEqual({ kind: 'and', operands: [{ kind: 'input', name: 'tick' }, { kind: 'not', operand: { kind: 'input', name: 'maintenance' } }] });
  });

  test.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['a &&', 'ends where it expects an input name, "!" or "("'],
    ['a & b', 'has "&" at position 3, which is not an input name, !, &&, || or a parenthesis'],
    ['(a || b', 'ends where it expects ")"'],
    ['a b', 'expects "&&", "||" or the end at position 3, not "b"'],
    ['|| a', 'expects an input name, "!" or "(" at position 1, not "||"'],
    ['a == b', 'has "=" at position 3, which is not an input name, !, &&, || or a parenthesis'],
  ])('%j does not parse: it %s', (text, problem) => {
    expect(parseCondition(text)).toEqual({ problem });
  });
});

test('conditionInputs lists each input once, in order of mention', () => {
  expect(conditionInputs(parseCondition('b && (a || !b) && c').node!)).toEqual(['b', 'a', 'c']);
});

describe('disjunctionInputs', () => {
  test.each([
    ['a', ['a']],
    ['a || b', ['a', 'b']],
    ['(a || b) || a', ['a', 'b']],
  ])('%j holds whenever one of its inputs delivers an event', (text, inputs) => {
    expect(disjunctionInputs(parseCondition(text).node!)).toEqual(inputs);
  });

  test.each(['a && b', 'a || b && c', '!a', 'a || !b'])('%j needs the trigger handler', (text) => {
    expect(disjunctionInputs(parseCondition(text).node!)).toBeUndefined();
  });
});
