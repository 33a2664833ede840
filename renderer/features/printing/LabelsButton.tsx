// The top bar's way to label printing, for leads and managers.
import { useState } from 'react';
import { PanelDialog } from '../../ui/PanelDialog';
import { LabelsPanel } from './LabelsPanel';

export function LabelsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="tab" onClick={() => setOpen(true)}>
        Labels
      </button>
      {open && (
        <PanelDialog title="Print labels" onClose={() => setOpen(false)}>
          <LabelsPanel />
        </PanelDialog>
      )}
    </>
  );
}
