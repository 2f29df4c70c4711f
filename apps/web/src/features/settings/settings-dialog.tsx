import { useState } from 'react';
import { Button, Dialog } from '@boocode/ui';
import { Settings } from 'lucide-react';
import { SessionsSection } from '../auth/sessions-section.tsx';
import { McpServersSection } from '../mcp/mcp-servers-section.tsx';
import { AboutLine } from './about-line.tsx';

/** The sidebar's "Settings" button and the dialog it opens. */
export function SettingsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        className="w-full justify-start"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        <Settings />
        Settings
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Settings"
        description="Settings of this boocode server; they apply at once."
      >
        <div className="space-y-6">
          <McpServersSection />
          <SessionsSection />
          <AboutLine />
        </div>
      </Dialog>
    </>
  );
}
