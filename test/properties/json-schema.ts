/**
 * Just enough JSON Schema to tell a value the API documents as valid from one it documents as
 * invalid: the generators keep only values this checker refuses, so every generated input is bad
 * by the app's own OpenAPI document (or by the frame schemas, through `z.toJSONSchema`).
 *
 * Keywords it does not know are ignored, which makes it lenient: a value it wrongly calls valid
 * is merely never sent, never a false alarm.
 */

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  default?: unknown;
}

export type Components = Record<string, JsonSchema>;

/** `schema` with a top-level `$ref` into `#/components/schemas/` followed (refs nest rarely). */
export function resolveRef(schema: JsonSchema, components: Components): JsonSchema {
  let current = schema;
  for (let depth = 0; current.$ref && depth < 10; depth++) {
    const name = current.$ref.replace("#/components/schemas/", "");
    const target = components[name];
    if (!target) throw new Error(`unresolved $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(allowed: string | string[], value: unknown): boolean {
  const actual = typeOf(value);
  const list = Array.isArray(allowed) ? allowed : [allowed];
  return list.some((type) => type === actual || (type === "number" && actual === "integer"));
}

/** True when `value` satisfies `schema` as far as the keywords above go. */
export function isValid(schema: JsonSchema, value: unknown, components: Components = {}): boolean {
  const s = resolveRef(schema, components);
  const check = (sub: JsonSchema, v: unknown) => isValid(sub, v, components);
  if (s.type !== undefined && !typeMatches(s.type, value)) return false;
  if ("const" in s && s.const !== value) return false;
  if (s.enum && !s.enum.includes(value)) return false;
  if (s.anyOf && !s.anyOf.some((sub) => check(sub, value))) return false;
  if (s.oneOf && !s.oneOf.some((sub) => check(sub, value))) return false;
  if (s.allOf && !s.allOf.every((sub) => check(sub, value))) return false;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return false;
    if (s.minimum !== undefined && value < s.minimum) return false;
    if (s.maximum !== undefined && value > s.maximum) return false;
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) return false;
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) return false;
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (s.minLength !== undefined && length < s.minLength) return false;
    if (s.maxLength !== undefined && length > s.maxLength) return false;
    if (s.pattern !== undefined && !new RegExp(s.pattern).test(value)) return false;
  }
  if (Array.isArray(value) && s.items) return value.every((item) => check(s.items!, item));
  if (typeOf(value) === "object") {
    const record = value as Record<string, unknown>;
    if (s.required?.some((key) => !Object.hasOwn(record, key))) return false;
    for (const [key, item] of Object.entries(record)) {
      if (s.propertyNames && !check(s.propertyNames, key)) return false;
      const declared = s.properties?.[key];
      if (declared) {
        if (!check(declared, item)) return false;
      } else if (typeof s.additionalProperties === "object") {
        if (!check(s.additionalProperties, item)) return false;
      }
    }
  }
  return true;
}

/**
 * A query parameter's raw text against its documented schema, read the way the routes read it:
 * numbers through `Number(text)` (zod's `coerce`), everything else as the string itself.
 */
export function isValidQueryValue(schema: JsonSchema, text: string): boolean {
  const types = schema.type === undefined ? [] : [schema.type].flat();
  if (types.includes("integer") || types.includes("number")) {
    return isValid({ ...schema, type: "number" }, Number(text)) &&
      (!types.includes("integer") || Number.isInteger(Number(text)));
  }
  return isValid(schema, text);
}
