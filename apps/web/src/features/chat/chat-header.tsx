import { Button } from '@boocode/ui';
import { PanelLeft } from 'lucide-react';
import { ProjectPicker } from '../projects/project-picker.tsx';
import { ReadAccess } from '../projects/read-access.tsx';
import { ExportMenu } from './export-menu.tsx';
import { ModelPicker } from './model-picker.tsx';

interface Props {
  title: string;
  /** The open chat's id; null on the new-chat screen. */
  chatId: string | null;
  model: string | null;
  onModelChange: (model: string) => void;
  projectId: string | null;
  onProjectChange: (projectId: string | null) => void;
  onProjectRemoved: (projectId: string) => void;
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
}

export function ChatHeader({
  title,
  chatId,
  model,
  onModelChange,
  projectId,
  onProjectChange,
  onProjectRemoved,
  sidebarOpen,
  onToggleSidebar,
}: Props) {
  return (
    <header className="border-border flex h-12 shrink-0 items-center gap-2 border-b px-2 sm:px-3">
      <Button
        variant="ghost"
        size="icon"
        aria-label="Toggle sidebar"
        aria-expanded={sidebarOpen}
        aria-controls="sidebar"
        title="Toggle sidebar"
        onClick={onToggleSidebar}
      >
        <PanelLeft />
      </Button>
      <h1 className="min-w-0 flex-1 truncate text-sm font-medium" title={title}>
        {title}
      </h1>
      <div className="flex min-w-0 items-center gap-0.5">
        <ProjectPicker value={projectId} onChange={onProjectChange} onRemoved={onProjectRemoved} />
        {chatId ? <ReadAccess chatId={chatId} projectId={projectId} /> : null}
        {chatId ? <ExportMenu chatId={chatId} /> : null}
      </div>
      <ModelPicker value={model} onChange={onModelChange} />
    </header>
  );
}
