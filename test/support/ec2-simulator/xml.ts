/** Just enough XML writing for EC2/STS responses; every text value goes through `escapeXml`. */

export function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => {
    switch (c) {
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '&':
        return '&amp;';
      case "'":
        return '&apos;';
      default:
        return '&quot;';
    }
  });
}

/** `<name>text</name>`; EC2 writes empty strings as `<name/>`. */
export function text(name: string, value: string | number | boolean): string {
  const s = String(value);
  return s === '' ? `<${name}/>` : `<${name}>${escapeXml(s)}</${name}>`;
}

/** Like `text` but omitted entirely when undefined (how EC2 leaves out e.g. ipAddress). */
export function optText(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : text(name, value);
}

/** `<name>` around already-built XML. */
export function node(name: string, ...children: string[]): string {
  const inner = children.join('');
  return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
}

/** EC2 lists: `<nameSet><item>…</item>…</nameSet>`, `<nameSet/>` when empty. */
export function items<T>(name: string, values: readonly T[], render: (value: T) => string): string {
  return node(name, ...values.map((v) => `<item>${render(v)}</item>`));
}
