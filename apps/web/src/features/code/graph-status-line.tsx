import { Spinner } from '@boocode/ui';
import { useGraphStatus } from './code-api.ts';

/** Where the project's index is: "Indexing… N / M files" while it is built, else its size. */
export function GraphStatusLine({ projectId }: { projectId: string }) {
  const status = useGraphStatus(projectId);
  const s = status.data;
  let text: string;
  if (status.isError) text = 'Code index unavailable.';
  else if (!s) text = 'Code index…';
  else if (s.state === 'indexing')
    text = s.filesTotal ? `Indexing… ${s.filesDone} / ${s.filesTotal} files` : 'Scanning files…';
  else if (s.state === 'error') text = `Index failed: ${s.error ?? 'unknown error'}`;
  else text = `${s.files} files indexed`;
  return (
    <p
      role="status"
      className="text-muted-foreground flex shrink-0 items-center gap-1.5 truncate text-[11px]"
      title={s?.scannedAt ? `Last scan ${new Date(s.scannedAt).toLocaleString()}` : undefined}
    >
      {s?.state === 'indexing' ? <Spinner className="size-2.5 border" /> : null}
      {text}
    </p>
  );
}
