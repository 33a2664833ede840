// A panel opened from the top bar, shown as a dialog with a Close button, mounted on <body>.
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { Dialog } from './Dialog';

export function PanelDialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  // Outside the top bar, so none of its styles reach the dialog.
  return createPortal(
    <Dialog title={title} onClose={onClose}>
      {children}
      <div className="actions">
        <button type="button" className="btn btn-big" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>,
    document.body,
  );
}
