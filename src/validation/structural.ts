/**
 * Turns a CRD's openAPIV3Schema (a Kubernetes "structural schema") into a plain JSON Schema
 * that rejects what the API server would reject under `fieldValidation=Strict`.
 *
 * CRD schemas rarely say `additionalProperties: false`: the API server prunes (or, strictly,
 * rejects) any field the schema does not list, unless the node sets
 * `x-kubernetes-preserve-unknown-fields`. A plain JSON Schema check would let a misspelled field
 * through, so every object node here becomes closed unless upstream keeps it open.
 *
 * Not reproduced: `x-kubernetes-validations` (CEL rules), list-map key uniqueness, and formats
 * (the API server checks a handful; we skip them all).
 */

/** A JSON Schema node; kept loose because CRD schemas are data, not code. */
export type JsonSchema = { [key: string]: any };

/** Options for {@link toStrictSchema}. */
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

export interface StrictSchemaOptions {
  /** `group/version` the root object must carry. */
  readonly apiVersion: string;
  /** The kind the root object must carry. */
  readonly kind: string;
  /** Definitions merged into the root (ObjectMeta and what it references). */
  readonly metaDefinitions: Record<string, JsonSchema>;
  /** A `$ref` to the ObjectMeta definition. */
  readonly objectMetaRef: string;
}

const VALUE_KEYWORDS = [
  'enum', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems',
  'uniqueItems', 'minProperties', 'maxProperties', 'multipleOf', 'required', 'const',
];

function addNull(type: unknown): unknown {
  if (type === undefined) return undefined;
  const list = Array.isArray(type) ? type : [type];
  return list.includes('null') ? list : [...list, 'null'];
}

/** Converts one node (not the root). Exported for tests. */
export function convertNode(node: JsonSchema): JsonSchema {
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const key of VALUE_KEYWORDS) {
    if (node[key] !== undefined) out[key] = node[key];
  }
  // OpenAPI v3.0 exclusive bounds are booleans beside minimum/maximum; JSON Schema wants numbers.
  if (node.exclusiveMinimum === true && typeof node.minimum === 'number') {
    out.exclusiveMinimum = node.minimum;
    delete out.minimum;
  }
  if (node.exclusiveMaximum === true && typeof node.maximum === 'number') {
    out.exclusiveMaximum = node.maximum;
    delete out.maximum;
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    out.type = ['integer', 'string'];
  } else if (node.type !== undefined) {
    out.type = node.type;
  }
  if (node.nullable === true && out.type !== undefined) out.type = addNull(out.type);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    // int-or-string nodes repeat their two types in anyOf; the union type above says it already.
    if (Array.isArray(node[key]) && node['x-kubernetes-int-or-string'] !== true) {
      out[key] = node[key].map(convertNode);
    }
  }
  if (node.not) out.not = convertNode(node.not);
  if (node.items) out.items = Array.isArray(node.items) ? node.items.map(convertNode) : convertNode(node.items);

  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  const isObject = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'));
  if (node.properties || node['x-kubernetes-embedded-resource'] === true) {
    out.properties = {};
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      out.properties[name] = convertNode(child as JsonSchema);
    }
    if (node['x-kubernetes-embedded-resource'] === true) {
      out.properties.apiVersion ??= { type: 'string' };
      out.properties.kind ??= { type: 'string' };
      out.properties.metadata ??= { type: 'object' };
    }
  }
  if (typeof node.additionalProperties === 'object') {
    out.additionalProperties = convertNode(node.additionalProperties);
  } else if (typeof node.additionalProperties === 'boolean') {
    out.additionalProperties = node.additionalProperties;
  } else if (isObject && !preserve) {
    out.additionalProperties = false;
  }
  return out;
}

/** Converts a CRD version's openAPIV3Schema into a strict, self-contained JSON Schema. */
export function toStrictSchema(schema: JsonSchema, options: StrictSchemaOptions): JsonSchema {
  const root = convertNode(schema);
  root.type = 'object';
  root.properties = {
    ...(root.properties ?? {}),
    apiVersion: { const: options.apiVersion },
    kind: { const: options.kind },
    // Objects we emit or apply always carry a name (generateName is for `kubectl create` only).
    // Custom resources are named with DNS subdomains unless their CRD says otherwise.
    metadata: { allOf: [{ $ref: options.objectMetaRef }, { required: ['name'], properties: { name: { pattern: DNS_SUBDOMAIN } } }] },
  };
  root.required = [...new Set([...(root.required ?? []), 'apiVersion', 'kind', 'metadata'])];
  if (root.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    root.additionalProperties = false;
  }
  root.definitions = options.metaDefinitions;
  return root;
}
