import { HttpError } from '../http/errors.js';

export type ImageErrorCode = 'not_an_image' | 'too_many_pixels' | 'bad_edit';

/** Input the image code refuses: not an image it reads, too many pixels, or an edit that does not fit the image. A 400. */
export class ImageInputError extends HttpError {
  constructor(code: ImageErrorCode, message: string, details?: unknown) {
    super(400, code, message, details);
    this.name = 'ImageInputError';
  }
}

export const notAnImage = () => new ImageInputError('not_an_image', 'This file is not an image we can read: upload a PNG, JPEG, GIF, WebP, HEIF/AVIF or TIFF image.');
