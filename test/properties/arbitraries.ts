/**
 * Generators of bad input: values a documented schema refuses, valid bodies and queries with one
 * field broken, raw JSON texts no parser should trust. Every generator filters through the
 * schema checker, so what it yields is invalid by the document, never by guess.
 */
import fc from "fast-check";
import { type Components, isValid, isValidQueryValue, type JsonSchema } from "./json-schema.ts";

type Json = Record<string, unknown>;

/** Strings that break naive code: astral and combining characters, controls, lone surrogates. */
export const oddString = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", " ", "\u0000", "\ud800", "e\u0301", "👩‍👩‍👧‍👦", "\u202e", "%00", "'; --", "_"),
);

/** Numbers past every bound: negative, fractional, beyond 2^53, near the double limits. */
export const oddNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-1, 0.5, -0.0, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e300, -1e300, 5e-324),
);

/** A long string (up to ~20k code points of 1–4 UTF-8 bytes): over a field limit or 413. */
export const longString = fc.tuple(
  fc.constantFrom("a", "é", "中", "😀", "e\u0301"),
  fc.integer({ min: 200, max: 20_000 }),
).map(([unit, count]) => unit.repeat(count));

/** Any JSON-ish value at all, of every type, small. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  oddString,
  oddNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(oddString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** A value `schema` refuses (wrong type, out of range, too long, off-pattern, not in enum). */
export function badValue(schema: JsonSchema, components: Components): fc.Arbitrary<unknown> {
  return fc.oneof(anyValue, longString).filter((value) => !isValid(schema, value, components));
}

interface FieldMutation {
  path: string[];
  /** `undefined` deletes the field. */
  value: fc.Arbitrary<unknown>;
}

function fieldsOf(schema: JsonSchema, value: unknown, components: Components, path: string[]) {
  const found: FieldMutation[] = [{ path, value: badValue(schema, components) }];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return found;
  for (const [key, item] of Object.entries(value as Json)) {
    const sub = schema.properties?.[key] ??
      (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
    if (sub) {
      found.push(...fieldsOf(resolveShallow(sub, components), item, components, [...path, key]));
    }
    if (schema.required?.includes(key)) {
      found.push({ path: [...path, key], value: fc.constant(undefined) });
    }
  }
  return found;
}

function resolveShallow(schema: JsonSchema, components: Components): JsonSchema {
  return schema.$ref ? components[schema.$ref.replace("#/components/schemas/", "")]! : schema;
}

/** A copy of `value` with the field at `path` replaced (or deleted when `next` is undefined). */
export function setPath(value: unknown, path: string[], next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path as [string, ...string[]];
  const copy = { ...(value as Json) };
  const inner = setPath(copy[head], rest, next);
  if (inner === undefined) delete copy[head];
  else copy[head] = inner;
  return copy;
}

/**
 * `valid` with exactly one field (or the whole value) made bad, kept only when the result as a
 * whole is refused by `schema` (a bad optional field could otherwise be dropped as unknown).
 */
export function mutatedValue(
  schema: JsonSchema,
  valid: unknown,
  components: Components,
): fc.Arbitrary<unknown> {
  const fields = fieldsOf(resolveShallow(schema, components), valid, components, []);
  return fc.constantFrom(...fields)
    .chain((field) => field.value.map((bad) => setPath(valid, field.path, bad)))
    .filter((value) => !isValid(schema, value, components));
}

/** A whole value of any shape that `schema` refuses. */
export function randomBadValue(schema: JsonSchema, components: Components) {
  return fc.oneof(anyValue, fc.jsonValue({ maxDepth: 3 }))
    .filter((value) => !isValid(schema, value, components));
}

export interface QueryParam {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** Raw texts of a query value: numbers written every odd way, strings of every odd kind. */
const oddQueryText = fc.oneof(
  oddString,
  oddNumber.map(String),
  longString,
  fc.constantFrom(
    "",
    "1.5",
    "-1",
    "1e400",
    "0x10",
    "NaN",
    "Infinity",
    "99999999999999999999",
    "null",
  ),
);

/** `valid` with one documented parameter made bad (refused text or, if required, missing). */
export function mutatedQuery(
  params: QueryParam[],
  valid: Record<string, string>,
): fc.Arbitrary<Record<string, string | string[]>> {
  const choices = params.flatMap((param) => {
    const bad = oddQueryText.filter((text) => !isValidQueryValue(param.schema, text));
    const options: fc.Arbitrary<Record<string, string | string[]>>[] = [
      bad.map((text) => ({ ...valid, [param.name]: text })),
      // The same key twice, both bad: whichever one the router reads, it is refused.
      fc.tuple(bad, bad).map(([a, b]) => ({ ...valid, [param.name]: [a, b] })),
    ];
    if (param.required) {
      const { [param.name]: _dropped, ...rest } = valid;
      options.push(fc.constant(rest));
    }
    return options;
  });
  return fc.oneof(...choices);
}

/** JSON texts built by hand: duplicate keys whose last value is bad, numbers JSON cannot hold. */
export function rawBadBody(
  schema: JsonSchema,
  valid: Json,
  components: Components,
): fc.Arbitrary<string> {
  const resolved = resolveShallow(schema, components);
  const keys = Object.keys(valid);
  const numericKeys = keys.filter((key) => typeof valid[key] === "number");
  const prefix = JSON.stringify(valid).slice(0, -1);
  const options: fc.Arbitrary<string>[] = [
    fc.constantFrom("", "{", "nul", "{'a':1}", '{"a":1,}', "[", "\u0000", '{"a":"\\u12"}'),
    oddString.filter((text) => !isJson(text)),
  ];
  if (keys.length > 0) {
    options.push(
      fc.constantFrom(...keys).chain((key) => {
        const sub = resolved.properties?.[key] ?? {};
        return badValue(sub, components).map((bad) =>
          `${prefix},${JSON.stringify(key)}:${JSON.stringify(bad ?? null)}}`
        );
      }).filter((text) => isJson(text) && !isValid(schema, JSON.parse(text), components)),
    );
  }
  if (numericKeys.length > 0) {
    options.push(
      fc.tuple(
        fc.constantFrom(...numericKeys),
        fc.constantFrom("1e400", "-1e400", "1" + "0".repeat(400)),
      )
        .map(([key, number]) => `${prefix},${JSON.stringify(key)}:${number}}`),
    );
  }
  return fc.oneof(...options);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
