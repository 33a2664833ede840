// How many items a basket holds, in words: "1 item", "3 items".
export const itemsText = (n: number) => `${n} ${n === 1 ? 'item' : 'items'}`;
