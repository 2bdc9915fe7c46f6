package org.fedai.fl.he;

import java.util.List;

/**
 * What the aggregator hands the key holder: the blockwise product of the named contributors'
 * ciphertexts, i.e. an encryption of the sum of their packed inputs.
 */
public record EncryptedSum(List<String> contributors, PackedCiphertext sum) {

    public EncryptedSum {
        contributors = List.copyOf(contributors);
    }
}
