import { Button } from '@boocode/ui';
import { PanelLeft } from 'lucide-react';
import { ModelPicker } from './model-picker.tsx';

interface Props {
  title: string;
  model: string | null;
  onModelChange: (model: string) => void;
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
}

export function ChatHeader({ title, model, onModelChange, sidebarOpen, onToggleSidebar }: Props) {
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
      <ModelPicker value={model} onChange={onModelChange} />
    </header>
  );
}
