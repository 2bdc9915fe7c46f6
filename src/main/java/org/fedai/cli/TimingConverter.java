package org.fedai.cli;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.fedai.protocol.PaymentTiming;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --timing before|after|hold|atomic} by wire code. {@code partial} (one invoice per part) is specified in
 * docs/payments.md but not implemented yet, so it is refused by name rather than as an unknown word.
 */
final class TimingConverter implements ITypeConverter<PaymentTiming> {

    @Override
    public PaymentTiming convert(String value) {
        if ("partial".equals(value)) {
            throw new TypeConversionException("partial invoices are not implemented yet; use one of " + codes());
        }
        return PaymentTiming.ofCode(value).orElseThrow(() -> new TypeConversionException(
                "'" + value + "' is not a payment timing; use one of " + codes()));
    }

    static String codes() {
        return Arrays.stream(PaymentTiming.values()).map(PaymentTiming::code).collect(Collectors.joining("|"));
    }
}
