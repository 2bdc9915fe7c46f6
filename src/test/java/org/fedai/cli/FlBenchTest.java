package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedai.fl.data.MnistFixture;
import org.junit.jupiter.api.Test;

class FlBenchTest {

    @Test
    void benchPairsPlainAndPaillierRunsAndReportsTheCommunicationExpansion() {
        MnistFixture.mnist();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = FedaiCommand.commandLine().execute("fl", "bench", "--clients", "3", "--model", "logreg", "--epochs", "1",
                    "--rounds", "2", "--passes", "2", "--privacy", "paillier", "--paillier-bits", "1024");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        // pass 1 runs plain first, pass 2 secure first: the order alternates to cancel drift in the machine's load
        assertThat(out.indexOf("pass 1 plain")).isLessThan(out.indexOf("pass 1 secure"));
        assertThat(out.indexOf("pass 2 secure")).isLessThan(out.indexOf("pass 2 plain"));
        assertThat(out).contains("paillier").containsPattern("paired wall ratio .*median \\d+\\.\\d{3}, min .* over 2 passes");
        Matcher m = Pattern.compile("communication per round: secure ([0-9.]+) MB, plain ([0-9.]+) MB .* expansion ([0-9.]+)x").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        // 1024-bit n, 3 clients: 18-bit slots, 56 per block, 141 blocks of 256 bytes per client; plus the product
        // to the key holder and the 7851 decrypted doubles back; plain sends 3 x 7850 doubles
        double secure = 4 * 141 * 256 + 8 * 7851;
        assertThat(Double.parseDouble(m.group(3))).isCloseTo(secure / (8.0 * 7850 * 3), org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void benchRefusesAnUnknownPrivacyModeWithAReason() {
        StringWriter err = new StringWriter();
        picocli.CommandLine cmd = FedaiCommand.commandLine();
        cmd.setErr(new PrintWriter(err));
        assertThat(cmd.execute("fl", "bench", "--privacy", "rsa", "--data", "/nonexistent")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown privacy mode 'rsa'");
    }
}
