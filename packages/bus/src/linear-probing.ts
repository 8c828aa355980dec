/**
 * Empties slot `hole` of an open-addressed table with linear probing, without leaving a
 * tombstone: the entries after it in its probe run that could no longer be found from their home
 * slot move back into the gap. `slots` holds `stride` integers per slot; a slot is empty when its
 * integer at `occupiedAt` is 0. `homeOf(slot)` is the home slot of the entry stored in `slot`.
 */
export function closeHole(
  slots: Int32Array,
  stride: number,
  occupiedAt: number,
  mask: number,
  hole: number,
  homeOf: (slot: number) => number,
): void {
  let i = hole;
  for (let j = (i + 1) & mask; slots[j * stride + occupiedAt] !== 0; j = (j + 1) & mask) {
    const wanted = homeOf(j);
    // Move j into the hole at i unless its home lies cyclically in (i, j].
    const stays = i <= j ? i < wanted && wanted <= j : i < wanted || wanted <= j;
    if (stays) continue;
    slots.copyWithin(i * stride, j * stride, j * stride + stride);
    i = j;
  }
  slots.fill(0, i * stride, i * stride + stride);
}
