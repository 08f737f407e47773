/**
 * Image processing on sharp, for uploads from people: `@teamspro/core/images` (not re-exported from the
 * package root, so apps that handle no images never load sharp's native library).
 */
export { ImageInputError, notAnImage, type ImageErrorCode } from './image-error.js';
export { maxInputPixels, maxSide, thumbnailWidth } from './limits.js';
export { acceptedFormats, probeImage, type AcceptedFormat, type ImageInfo } from './probe.js';
export { storedTypeFor, type ProcessedImage, type StoredImageType } from './encode.js';
export { normaliseImage, thumbnailOf } from './normalise.js';
export { editImage, planEdit, type CropRect, type ImageEditRequest } from './edit.js';
