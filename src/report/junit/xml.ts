// A minimal XML writer for JUnit reports: elements with attributes and text, everything escaped. Characters
// XML 1.0 cannot carry at all (most C0 controls, lone surrogates) are replaced, since CI parsers reject them.
export interface XmlElement {
  readonly name: string;
  readonly attrs?: Readonly<Record<string, string | number | undefined>>;
  readonly text?: string;
  readonly children?: readonly XmlElement[];
}

const INVALID_XML =
  // eslint-disable-next-line no-control-regex -- these control characters are exactly what must be removed
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

const NAME = /^[A-Za-z_][\w.-]*$/;

function renderAttrs(attrs: XmlElement['attrs']): string {
  return Object.entries(attrs ?? {})
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => {
      if (!NAME.test(k)) throw new Error(`invalid XML attribute name ${JSON.stringify(k)}`);
      // Newlines and tabs in attribute values are normalised away by parsers: keep them as references.
      return ` ${k}="${escapeXml(String(v)).replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;')}"`;
    })
    .join('');
}

export function renderXml(element: XmlElement, indent = ''): string {
  if (!NAME.test(element.name)) throw new Error(`invalid XML element name ${JSON.stringify(element.name)}`);
  const open = `${indent}<${element.name}${renderAttrs(element.attrs)}`;
  const children = element.children ?? [];
  if (element.text === undefined && children.length === 0) return `${open}/>`;
  if (children.length === 0) return `${open}>${escapeXml(element.text ?? '')}</${element.name}>`;
  const inner = children.map((c) => renderXml(c, `${indent}  `)).join('\n');
  const text = element.text !== undefined ? `${indent}  ${escapeXml(element.text)}\n` : '';
  return `${open}>\n${text}${inner}\n${indent}</${element.name}>`;
}

export function xmlDocument(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderXml(root)}\n`;
}
