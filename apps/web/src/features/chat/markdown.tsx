import { memo, useMemo } from 'react';
import ReactMarkdown, { type Components, type ExtraProps } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { CodeBlock } from './code-block.tsx';
import { splitBlocks } from './split-blocks.ts';

type HastNode = NonNullable<ExtraProps['node']>['children'][number];

function textOf(node: HastNode): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

const components: Components = {
  pre({ node }) {
    const code = node?.children[0];
    if (code?.type !== 'element' || code.tagName !== 'code')
      return <pre>{node && textOf(node)}</pre>;
    const classes = code.properties.className;
    const langClass = Array.isArray(classes)
      ? classes.find((c) => typeof c === 'string' && c.startsWith('language-'))
      : undefined;
    const lang = typeof langClass === 'string' ? langClass.slice('language-'.length) : '';
    // The parser keeps the newline before the closing fence; drop it so the box has no blank line.
    return <CodeBlock code={textOf(code).replace(/\n$/, '')} lang={lang} />;
  },
  a({ node: _node, href, children, ...props }) {
    return (
      <a href={href} target="_blank" rel="noopener noreferrer" {...props}>
        {children}
      </a>
    );
  },
  table({ node: _node, ...props }) {
    return (
      <div className="table-wrap">
        <table {...props} />
      </div>
    );
  },
};

const remarkPlugins = [remarkGfm];

const Block = memo(function Block({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} components={components}>
      {text}
    </ReactMarkdown>
  );
});

/** Assistant text as GitHub-flavoured Markdown. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const blocks = useMemo(() => splitBlocks(text), [text]);
  return (
    <div className="markdown">
      {blocks.map((block, i) => (
        <Block key={i} text={block} />
      ))}
    </div>
  );
});
