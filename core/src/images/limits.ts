/** Decoded pixels (all frames of an animation together) an input may have: a guard against decompression bombs. */
export const maxInputPixels = 50_000_000;
/** The long side of a stored image. */
export const maxSide = 2048;
export const thumbnailWidth = 320;
export const jpegQuality = 85;
