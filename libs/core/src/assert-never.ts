/**
 * Ends an exhaustive `switch`: adding a member to a union makes every switch
 * that forgot it a compile error here instead of a silent fall-through.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
