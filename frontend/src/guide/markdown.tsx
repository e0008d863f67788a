import type { ReactNode } from 'react';

/**
 * The small Markdown the user guide is written in, rendered to React elements (never to HTML strings): headings
 * `#`–`###` with an explicit `{#anchor}`, paragraphs, `-` lists, **bold**, `code` and [links](target). Anything else
 * stays plain text. Kept this small on purpose: the guide is ours, and a full Markdown library would weigh more
 * than the guide itself.
 */
export interface Heading {
  level: 1 | 2 | 3;
  text: string;
  anchor?: string;
}

type Block = { kind: 'heading'; heading: Heading } | { kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] };

const HEADING = /^(#{1,3})\s+(.*?)(?:\s+\{#([a-z0-9-]+)\})?\s*$/;
const ITEM = /^[-*]\s+(.*)$/;

export function parseBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let items: string[] | null = null;
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    if (items) blocks.push({ kind: 'list', items });
    paragraph = [];
    items = null;
  };
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.trim();
    const heading = HEADING.exec(line);
    const item = ITEM.exec(line);
    if (!line) flush();
    else if (heading) {
      flush();
      blocks.push({ kind: 'heading', heading: { level: heading[1].length as Heading['level'], text: heading[2], anchor: heading[3] } });
    } else if (item) {
      if (paragraph.length) flush();
      (items ??= []).push(item[1]);
    } else if (items && raw.startsWith(' ')) items[items.length - 1] += ` ${line}`;
    else {
      if (items) flush();
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

/** Every `{#anchor}` the guide declares. */
export function anchorsOf(source: string): string[] {
  return parseBlocks(source).flatMap((b) => (b.kind === 'heading' && b.heading.anchor ? [b.heading.anchor] : []));
}

const INLINE = /\*\*(.+?)\*\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    out.push(text.slice(last, m.index));
    const key = m.index;
    if (m[1] !== undefined) out.push(<strong key={key}>{m[1]}</strong>);
    else if (m[2] !== undefined) out.push(<code key={key}>{m[2]}</code>);
    else out.push(<a key={key} href={m[4]} {...(/^https?:/.test(m[4]) ? { target: '_blank', rel: 'noopener' } : {})}>{m[3]}</a>);
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out.filter((part) => part !== '');
}

export function Markdown({ source }: { source: string }) {
  return (
    <>
      {parseBlocks(source).map((block, i) => {
        if (block.kind === 'paragraph') return <p key={i}>{inline(block.text)}</p>;
        if (block.kind === 'list')
          return (
            <ul key={i}>
              {block.items.map((item, j) => (
                <li key={j}>{inline(item)}</li>
              ))}
            </ul>
          );
        const { level, text, anchor } = block.heading;
        const Tag = `h${level}` as const;
        return (
          <Tag key={i} id={anchor}>
            {inline(text)}
          </Tag>
        );
      })}
    </>
  );
}
