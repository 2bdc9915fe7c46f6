package org.fedai.fl.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Test accuracy per round as a PNG, drawn with java.awt in headless mode (no display needed). */
public final class TrainingCurvePlot {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    private TrainingCurvePlot() {
    }

    public static void write(Path file, String title, Map<String, double[]> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 800;
        int h = 500;
        int left = 70;
        int right = 180;
        int top = 50;
        int bottom = 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int pw = w - left - right;
        int ph = h - top - bottom;
        int rounds = series.values().stream().mapToInt(a -> a.length).max().orElse(1);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 10; i++) {
            int y = top + ph - ph * i / 10;
            g.setColor(new Color(0xeeeeee));
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.1f", i / 10.0), left - 30, y + 4);
        }
        int step = Math.max(1, rounds / 10);
        for (int r = 1; r <= rounds; r += step) {
            int x = left + (rounds == 1 ? pw / 2 : pw * (r - 1) / (rounds - 1));
            g.drawString(Integer.toString(r), x - 4, top + ph + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString("round", left + pw / 2 - 15, h - 20);
        g.drawString("test accuracy", 10, top - 10);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setStroke(new BasicStroke(2f));
        int k = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            g.setColor(PALETTE[k % PALETTE.length]);
            double[] a = e.getValue();
            for (int r = 1; r < a.length; r++) {
                g.drawLine(px(r - 1, rounds, left, pw), py(a[r - 1], top, ph), px(r, rounds, left, pw), py(a[r], top, ph));
            }
            if (a.length == 1) {
                g.fillOval(px(0, rounds, left, pw) - 3, py(a[0], top, ph) - 3, 6, 6);
            }
            g.drawString(e.getKey(), left + pw + 10, top + 20 + 18 * k);
            k++;
        }
        g.dispose();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    public static void write(Path file, String title, String label, List<Double> accuracy) throws IOException {
        Map<String, double[]> one = new LinkedHashMap<>();
        one.put(label, accuracy.stream().mapToDouble(Double::doubleValue).toArray());
        write(file, title, one);
    }

    private static int px(int i, int rounds, int left, int pw) {
        return left + (rounds <= 1 ? pw / 2 : pw * i / (rounds - 1));
    }

    private static int py(double v, int top, int ph) {
        return top + ph - (int) Math.round(Math.max(0, Math.min(1, v)) * ph);
    }
}
