import { useId, useState } from 'react';
import { Popover } from '@boocode/ui';
import { Settings2 } from 'lucide-react';
import {
  getClipboardWrites,
  getScreenReaderMode,
  setClipboardWrites,
  setScreenReaderMode,
} from './terminal-prefs.ts';

/** The terminals' settings, kept in this browser; each applies to terminals opened from then on. */
export function TerminalSettings() {
  const [isOpen, setOpen] = useState(false);
  return (
    <Popover
      open={isOpen}
      onOpenChange={setOpen}
      label="Terminal settings"
      align="start"
      side="top"
      className="flex w-64 flex-col gap-3"
      trigger={{
        variant: 'ghost',
        size: 'icon-sm',
        'aria-label': 'Terminal settings',
        title: 'Terminal settings',
        children: <Settings2 />,
      }}
    >
      <Setting
        name="Screen reader mode"
        get={getScreenReaderMode}
        set={setScreenReaderMode}
        description="Terminals keep their text where assistive technology can read it (a little slower on heavy output). Applies to terminals opened from now on."
      />
      <Setting
        name="Let programs set the clipboard"
        get={getClipboardWrites}
        set={setClipboardWrites}
        description="A program (vim or tmux over SSH, say) may copy to your clipboard with OSC 52. Off, output cannot replace what you copied. Applies to terminals opened from now on."
      />
    </Popover>
  );
}

function Setting({
  name,
  description,
  get,
  set,
}: {
  name: string;
  description: string;
  get: () => boolean;
  set: (on: boolean) => void;
}) {
  const [on, setOn] = useState(get);
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="checkbox"
        checked={on}
        onChange={(e) => {
          setOn(e.target.checked);
          set(e.target.checked);
        }}
        className="accent-primary mt-0.5"
      />
      <label htmlFor={id} className="text-xs">
        <span className="font-medium">{name}</span>
        <span className="text-muted-foreground block">{description}</span>
      </label>
    </div>
  );
}
