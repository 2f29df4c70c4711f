import { useState } from 'react';
import { Popover, buttonVariants, cn } from '@boocode/ui';
import { Download } from 'lucide-react';
import { exportUrl, type ExportFormat } from './chat-api.ts';

const formats: { format: ExportFormat; label: string }[] = [
  { format: 'markdown', label: 'Export as Markdown' },
  { format: 'json', label: 'Export as JSON' },
];

/** Downloads the open chat as a file; the server names it after the chat's title. */
export function ExportMenu({ chatId }: { chatId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      label="Export"
      className="w-48 p-1"
      trigger={{
        variant: 'ghost',
        size: 'icon',
        'aria-label': 'Export',
        title: 'Export this chat',
        children: <Download />,
      }}
    >
      <ul>
        {formats.map(({ format, label }) => (
          <li key={format}>
            <a
              href={exportUrl(chatId, format)}
              download
              // Closed after the click has started the download, not during it.
              onClick={() => setTimeout(() => setOpen(false))}
              className={cn(
                buttonVariants({ variant: 'ghost', size: 'sm' }),
                'text-foreground w-full justify-start text-sm font-normal',
              )}
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </Popover>
  );
}
