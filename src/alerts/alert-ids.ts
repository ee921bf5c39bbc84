import { typeableId } from '../changes/id-generator';

/** AL-7F3K2QX, SI-…: typed back in `ack` and `unsilence`, like change request ids. */
export const newAlertId = (): string => typeableId('AL-');
export const newSilenceId = (): string => typeableId('SI-');
/** A card's group: the alerts of one customer that fired together. */
export const newGroupId = (): string => typeableId('G-');
