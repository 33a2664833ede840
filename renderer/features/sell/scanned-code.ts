// A code scanned or typed on the sell screen, wherever the cursor is: a member's card names the customer, a barcode or SKU adds the product.
import { findByCode } from '../../db/catalog-repo';
import { findMember } from '../../db/drops-repo';
import { posDb } from '../../db/instance';
import { useCart } from '../../state/cart';
import { useSession } from '../../state/session';
import { tiersText } from './CustomerDialog';

/**
 * Put what the code stands for on the cart and say so; false (nothing changed) when it is
 * neither a member of this store nor an active product.
 */
export async function takeScannedCode(code: string, storeId: string | undefined): Promise<boolean> {
  const { notify } = useSession.getState();
  // A member's QR carries their id ("M7K3MQ9XT"): it identifies the customer, it adds nothing.
  if (/^M[0-9A-Z]{4,26}$/i.test(code) && storeId) {
    const found = await findMember(posDb, storeId, code);
    if (found.ok) {
      useCart.getState().setMember(found.member.id);
      notify(`Customer: ${found.member.name} (${tiersText(found.member)}).`);
      return true;
    }
  }
  const product = await findByCode(posDb, code);
  if (!product) return false;
  useCart.getState().add(product);
  return true;
}
