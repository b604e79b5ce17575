// Arguments the model wrote, checked against the tool's own JSON Schema before anything runs (the grammar
// that made them follows a cut-down copy of the schema, so this is the check that counts).
import { Ajv } from 'ajv';

const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false });
const cache = new WeakMap<object, ReturnType<typeof ajv.compile>>();

/** null when the arguments match; otherwise what is wrong, in one line. */
export function checkArguments(schema: Record<string, unknown>, params: unknown): string | null {
  let validate = cache.get(schema);
  if (!validate) {
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      return `the tool's schema cannot be used (${error instanceof Error ? error.message : String(error)})`;
    }
    cache.set(schema, validate);
  }
  if (validate(params ?? {})) return null;
  const e = validate.errors?.[0];
  return e ? `${e.instancePath || 'arguments'} ${e.message ?? 'is invalid'}` : 'invalid arguments';
}
