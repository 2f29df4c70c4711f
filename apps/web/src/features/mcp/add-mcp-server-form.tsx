import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { McpServerConfig } from '@boocode/protocol';
import { Button, Input, Textarea, cn } from '@boocode/ui';
import { Plus } from 'lucide-react';
import { errorMessage } from '../../lib/api.ts';
import { useAddMcpServer } from './mcp-api.ts';

type Transport = 'stdio' | 'http';

/** Lines of `KEY=value` (env) or `Name: value` (headers); blank lines are skipped. */
export function parsePairs(text: string, sep: '=' | ':'): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf(sep);
    if (at <= 0) return `“${line}” is not ${sep === '=' ? 'KEY=value' : 'Name: value'}.`;
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/** Adds a stdio server (command, arguments, environment) or an HTTP one (URL, headers). */
export function AddMcpServerForm() {
  const id = useId();
  const add = useAddMcpServer();
  const [transport, setTransport] = useState<Transport>('stdio');
  const [name, setName] = useState('');
  const [command, setCommand] = useState('');
  const [args, setArgs] = useState('');
  const [env, setEnv] = useState('');
  const [url, setUrl] = useState('');
  const [headers, setHeaders] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const reset = () => {
    setName('');
    setCommand('');
    setArgs('');
    setEnv('');
    setUrl('');
    setHeaders('');
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (add.isPending) return;
    let config: McpServerConfig;
    if (transport === 'stdio') {
      const vars = parsePairs(env, '=');
      if (typeof vars === 'string') return setProblem(`Environment: ${vars}`);
      const list = args
        .split('\n')
        .map((a) => a.trim())
        .filter(Boolean);
      config = {
        command: command.trim(),
        ...(list.length ? { args: list } : {}),
        ...(Object.keys(vars).length ? { env: vars } : {}),
      };
    } else {
      const h = parsePairs(headers, ':');
      if (typeof h === 'string') return setProblem(`Headers: ${h}`);
      config = { url: url.trim(), ...(Object.keys(h).length ? { headers: h } : {}) };
    }
    setProblem(null);
    add.mutate({ name: name.trim(), config }, { onSuccess: reset });
  };

  const error = problem ?? (add.isError ? errorMessage(add.error) : null);
  const ready =
    name.trim() !== '' && (transport === 'stdio' ? command.trim() !== '' : url.trim() !== '');
  const edited = () => {
    if (problem) setProblem(null);
    if (add.isError) add.reset();
  };

  return (
    <form
      aria-label="Add MCP server"
      onSubmit={submit}
      onChange={edited}
      className="border-border space-y-3 rounded-lg border p-3"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h4 className="text-xs font-semibold">Add a server</h4>
        <div
          role="radiogroup"
          aria-label="Transport"
          className="bg-muted inline-flex rounded-md p-0.5 text-xs"
        >
          {(['stdio', 'http'] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="radio"
              aria-checked={transport === t}
              onClick={() => {
                setTransport(t);
                edited();
              }}
              className={cn(
                'cursor-pointer rounded px-2.5 py-1 transition-colors',
                transport === t
                  ? 'bg-background text-foreground shadow-sm'
                  : 'text-muted-foreground hover:text-foreground',
              )}
            >
              {t === 'stdio' ? 'stdio (command)' : 'Streamable HTTP'}
            </button>
          ))}
        </div>
      </div>
      <Field
        label="Name"
        htmlFor={`${id}-name`}
        hint="Letters, digits, . _ - ; tools become name__tool."
      >
        <Input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="github"
          spellCheck={false}
          autoComplete="off"
          className="font-mono text-xs"
        />
      </Field>
      {transport === 'stdio' ? (
        <>
          <Field label="Command" htmlFor={`${id}-command`}>
            <Input
              id={`${id}-command`}
              value={command}
              onChange={(e) => setCommand(e.target.value)}
              placeholder="npx"
              spellCheck={false}
              autoComplete="off"
              className="font-mono text-xs"
            />
          </Field>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Arguments" htmlFor={`${id}-args`} hint="One per line.">
              <Textarea
                id={`${id}-args`}
                rows={3}
                value={args}
                onChange={(e) => setArgs(e.target.value)}
                placeholder={'-y\n@modelcontextprotocol/server-github'}
                spellCheck={false}
                className="font-mono text-xs leading-5"
              />
            </Field>
            <Field label="Environment" htmlFor={`${id}-env`} hint="KEY=value, one per line.">
              <Textarea
                id={`${id}-env`}
                rows={3}
                value={env}
                onChange={(e) => setEnv(e.target.value)}
                placeholder="GITHUB_TOKEN=…"
                spellCheck={false}
                className="font-mono text-xs leading-5"
              />
            </Field>
          </div>
        </>
      ) : (
        <>
          <Field label="URL" htmlFor={`${id}-url`}>
            <Input
              id={`${id}-url`}
              type="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="http://127.0.0.1:3001/mcp"
              spellCheck={false}
              autoComplete="off"
              className="font-mono text-xs"
            />
          </Field>
          <Field label="Headers" htmlFor={`${id}-headers`} hint="Name: value, one per line.">
            <Textarea
              id={`${id}-headers`}
              rows={2}
              value={headers}
              onChange={(e) => setHeaders(e.target.value)}
              placeholder="Authorization: Bearer …"
              spellCheck={false}
              className="font-mono text-xs leading-5"
            />
          </Field>
        </>
      )}
      {error ? (
        <p role="alert" className="text-destructive-text text-xs">
          {error}
        </p>
      ) : null}
      <div className="flex justify-end">
        <Button type="submit" disabled={!ready || add.isPending}>
          <Plus />
          Add server
        </Button>
      </div>
    </form>
  );
}

function Field({
  label,
  htmlFor,
  hint,
  children,
}: {
  label: string;
  htmlFor: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1">
      <div className="flex items-baseline gap-2 text-xs">
        <label htmlFor={htmlFor} className="font-medium">
          {label}
        </label>
        {hint ? <span className="text-muted-foreground">{hint}</span> : null}
      </div>
      {children}
    </div>
  );
}
