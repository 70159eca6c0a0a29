// A frame: a Node Buffer whose native address is known, carved into the VARIANTs,
// argument arrays, GUIDs, strings and out-slots of one DispCallFunc call. Writing the
// call's memory straight into the Buffer costs no FFI call (ffi-rs passes a Buffer by
// its own address, which V8 never moves), unlike copying through RtlMoveMemory.

export class Frame {
  private used = 0;

  constructor(
    readonly buffer: Buffer,
    /** Native address of buffer[0]. */
    readonly base: bigint,
  ) {}

  get capacity(): number {
    return this.buffer.length;
  }

  reset(): void {
    this.used = 0;
  }

  /** Reserves zeroed bytes; returns their offset in the buffer. */
  allocate(size: number, align = 8): number {
    const offset = Math.ceil(this.used / align) * align;
    if (offset + size > this.buffer.length) {
      throw new FrameOverflowError(offset + size, this.buffer.length);
    }
    this.buffer.fill(0, offset, offset + size);
    this.used = offset + size;
    return offset;
  }

  address(offset: number): bigint {
    return this.base + BigInt(offset);
  }

  /** Copies bytes in; returns their native address. */
  put(bytes: Uint8Array, align = 8): bigint {
    const offset = this.allocate(bytes.length, align);
    this.buffer.set(bytes, offset);
    return this.address(offset);
  }

  /** A NUL-terminated UTF-16LE copy of text; returns its native address. */
  putWideString(text: string): bigint {
    const offset = this.allocate((text.length + 1) * 2, 2);
    this.buffer.write(text, offset, 'utf16le');
    return this.address(offset);
  }
}

/** The call needs more memory than the frame holds; the runtime retries in a larger one. */
export class FrameOverflowError extends Error {
  constructor(
    readonly needed: number,
    capacity: number,
  ) {
    super(`COM call frame too small: needs ${needed} bytes, has ${capacity}`);
    this.name = 'FrameOverflowError';
  }
}
