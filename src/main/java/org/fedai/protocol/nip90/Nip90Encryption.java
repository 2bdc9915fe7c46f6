package org.fedai.protocol.nip90;

/** How a NIP-90 request's private tags were sealed: the answer goes back sealed the same way. */
public enum Nip90Encryption { NONE, NIP04, NIP44 }
