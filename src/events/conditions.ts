/**
 * Trigger conditions: OpenFunction's boolean expressions over a trigger's input names, e.g.
 * `orders`, `orders || refunds`, `orders && payments`, `tick && !(maintenance)`. They are the CEL
 * subset OpenFunction's trigger handler evaluates: identifiers, `!`, `&&`, `||` and parentheses.
 */

/** A parsed condition. */
export type ConditionNode =
  | { readonly kind: 'input'; readonly name: string }
  | { readonly kind: 'not'; readonly operand: ConditionNode }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly ConditionNode[] };

/** The outcome of parsing a condition: the tree, or why it does not parse. */
export interface ParsedCondition {
  readonly node?: ConditionNode;
  /** Why the text is not a condition (undefined when it is). */
  readonly problem?: string;
}

interface Token {
  readonly text: string;
  readonly at: number;
}

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  const re = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||!|\(|\)))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) {
      const start = at + (text.slice(at).length - text.slice(at).trimStart().length);
      return `has "${text[start]}" at position ${start + 1}, which is not an input name, !, &&, || or a parenthesis`;
    }
    const token = m[1] ?? m[2];
    tokens.push({ text: token, at: re.lastIndex - token.length });
    at = re.lastIndex;
  }
  return tokens;
}

/** Parses `text` into a condition tree. */
export function parseCondition(text: string): ParsedCondition {
  if (typeof text !== 'string' || !text.trim()) return { problem: 'is empty' };
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { problem: tokens };
  let i = 0;
  const peek = () => tokens[i]?.text;
  const fail = (expected: string): never => {
    const t = tokens[i];
    throw new Error(t ? `expects ${expected} at position ${t.at + 1}, not "${t.text}"` : `ends where it expects ${expected}`);
  };
  const binary = (kind: 'and' | 'or', op: string, next: () => ConditionNode) => (): ConditionNode => {
    const operands = [next()];
    while (peek() === op) {
      i++;
      operands.push(next());
    }
    return operands.length === 1 ? operands[0] : { kind, operands };
  };
  const primary = (): ConditionNode => {
    const t = peek();
    if (t === '!') {
      i++;
      return { kind: 'not', operand: primary() };
    }
    if (t === '(') {
      i++;
      const inner = or();
      if (peek() !== ')') fail('")"');
      i++;
      return inner;
    }
    if (t !== undefined && /^[A-Za-z_]/.test(t)) {
      i++;
      return { kind: 'input', name: t };
    }
    return fail('an input name, "!" or "("');
  };
  const and = binary('and', '&&', primary);
  const or = binary('or', '||', and);
  try {
    const node = or();
    if (i < tokens.length) fail('"&&", "||" or the end');
    return { node };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}

/** The input names a condition mentions, in order of first mention. */
export function conditionInputs(node: ConditionNode): string[] {
  const out = new Set<string>();
  const walk = (n: ConditionNode): void => {
    if (n.kind === 'input') out.add(n.name);
    else if (n.kind === 'not') walk(n.operand);
    else n.operands.forEach(walk);
  };
  walk(node);
  return [...out];
}

/**
 * The inputs of a condition that holds exactly when one of them delivers an event (`a` or
 * `a || b || ...`): such a condition needs no state and can be Dapr subscriptions. Undefined for
 * anything else (`&&`, `!`), which needs the trigger handler's memory of recent events.
 */
export function disjunctionInputs(node: ConditionNode): string[] | undefined {
  if (node.kind === 'input') return [node.name];
  if (node.kind !== 'or') return undefined;
  const names: string[] = [];
  for (const operand of node.operands) {
    const inner = disjunctionInputs(operand);
    if (!inner) return undefined;
    names.push(...inner);
  }
  return [...new Set(names)];
}
