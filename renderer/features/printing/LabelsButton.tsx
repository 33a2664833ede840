// The top bar's way to label printing, for leads and managers.
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { Dialog } from '../../ui/Dialog';
import { LabelsPanel } from './LabelsPanel';

export function LabelsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="tab" onClick={() => setOpen(true)}>
        Labels
      </button>
      {open &&
        // Outside the top bar, so none of its styles reach the dialog.
        createPortal(
          <Dialog title="Print labels" onClose={() => setOpen(false)}>
            <LabelsPanel />
            <div className="actions">
              <button type="button" className="btn btn-big" onClick={() => setOpen(false)}>
                Close
              </button>
            </div>
          </Dialog>,
          document.body,
        )}
    </>
  );
}
