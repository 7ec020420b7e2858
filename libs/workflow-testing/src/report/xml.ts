/** Characters XML 1.0 forbids even escaped (most C0 controls, e.g. a colour code's ESC, and U+FFFE/U+FFFF). */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text safe in an XML attribute or element: escaped, and what XML cannot hold replaced by U+FFFD. */
export function xmlEscape(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** `<name a="1" b="x">`: attributes escaped, in the order given. */
export function xmlTag(name: string, attributes: Readonly<Record<string, string | number>>, close = false): string {
  const attrs = Object.entries(attributes).map(([key, value]) => ` ${key}="${xmlEscape(String(value))}"`);
  return `<${name}${attrs.join('')}${close ? '/' : ''}>`;
}
