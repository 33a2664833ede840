// PIN login: who is at the till.
import { useState } from 'react';
import { useDevice, useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { checkPin } from '../../db/staff-repo';
import { useSession } from '../../state/session';
import { PinPad } from './PinPad';

export function LoginScreen() {
  const login = useSession((s) => s.login);
  const store = useStoreSettings();
  const device = useDevice();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (pin: string) => {
    setBusy(true);
    setError(null);
    const result = await checkPin(posDb, pin, Date.now());
    setBusy(false);
    if (result.ok) login(result.staff);
    else setError(result.message);
  };

  return (
    <main className="login">
      <h1>{store?.name ?? 'PopTill'}</h1>
      <p className="muted">{device ? `${device.name} · ${device.prefix}` : ''}</p>
      <PinPad label="Staff PIN" busy={busy} error={error} onSubmit={submit} />
    </main>
  );
}
