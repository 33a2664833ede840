// A member offer claimed with one tap for the sale being built (UI state): cleared when the member changes or the cart resets.
import { create } from 'zustand';
import { useCart } from '../../state/cart';

interface MemberClaimState {
  campaignId: string | null;
  claim: (campaignId: string | null) => void;
}

export const useMemberClaim = create<MemberClaimState>()((set) => ({
  campaignId: null,
  claim: (campaignId) => set({ campaignId }),
}));

// A claim belongs to the identified member: a new member, or the next sale, starts without one.
useCart.subscribe((s, prev) => {
  if (s.memberId !== prev.memberId) useMemberClaim.getState().claim(null);
});
