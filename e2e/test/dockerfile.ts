/** One instruction of a Dockerfile: `RUN`, `FROM`... with its arguments on one line. */
export interface Instruction {
  op: string;
  args: string;
}

export interface Stage {
  /** The image it starts from, ARG defaults filled in. */
  from: string;
  name: string | null;
  instructions: Instruction[];
}

/**
 * Reads a Dockerfile as the builder does for what the tests need: line continuations joined,
 * comment lines dropped (within a continuation too), split into stages, `${ARG}` in FROM
 * replaced by the global ARG's default.
 */
export function parseDockerfile(text: string): Stage[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full) lines.push(full);
  }
  const globals = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = op.toUpperCase();
    const current = stages.at(-1);
    if (upper === 'FROM') {
      const [image = '', as, name] = args.split(/\s+/);
      const from = image.replace(/\$\{?(\w+)\}?/g, (_, v: string) => globals.get(v) ?? '');
      stages.push({
        from,
        name: as?.toUpperCase() === 'AS' ? (name ?? null) : null,
        instructions: [],
      });
    } else if (!current && upper === 'ARG') {
      const [key = '', value = ''] = args.split('=');
      globals.set(key, value);
    } else {
      current?.instructions.push({ op: upper, args });
    }
  }
  return stages;
}

/** The arguments of the instructions `op` of a stage. */
export function argsOf(stage: Stage, op: string): string[] {
  return stage.instructions.filter((i) => i.op === op).map((i) => i.args);
}

/** The exec form (`["a", "b"]`) of an instruction's arguments, or null for the shell form. */
export function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  return JSON.parse(args) as string[];
}

/** `ENV A=1 B=2` of a stage, as one map (later ones win). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of argsOf(stage, 'ENV')) {
    for (const m of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  }
  return env;
}
