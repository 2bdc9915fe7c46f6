package org.fedai.cli;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.fedai.domain.PaymentTiming;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --timing before|after|hold|atomic|partial}, by wire code (event-kinds/market-flow.md). */
final class TimingConverter implements ITypeConverter<PaymentTiming> {

    @Override
    public PaymentTiming convert(String value) {
        return PaymentTiming.ofCode(value).orElseThrow(() -> new TypeConversionException(
                "'" + value + "' is not a payment timing; use one of " + codes()));
    }

    static String codes() {
        return Arrays.stream(PaymentTiming.values()).map(PaymentTiming::code).collect(Collectors.joining("|"));
    }
}
