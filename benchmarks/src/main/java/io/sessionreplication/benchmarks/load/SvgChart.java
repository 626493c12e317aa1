package io.sessionreplication.benchmarks.load;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load benchmark's pictures, as SVG text with no library: a line chart of the
 * throughput of each backend over time from a cold start (the warm-up curves), and a bar
 * chart of ratios by group (each backend's throughput as a ratio of no replication, phase
 * by phase). It draws what it is given, scales the axes to it, and escapes every label.
 */
final class SvgChart {

	private static final String[] COLORS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
			"#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

	private static final int WIDTH = 900;

	private static final int HEIGHT = 480;

	private static final int LEFT = 70;

	private static final int RIGHT = 230;

	private static final int TOP = 40;

	private static final int BOTTOM = 50;

	private SvgChart() {
	}

	/**
	 * A line chart: one line per series, x and y from 0.
	 * @param title the title
	 * @param xLabel what x is
	 * @param yLabel what y is
	 * @param series the points of each series by its name, as {x, y} pairs in x order
	 * @param marks x values to draw a dashed vertical line at (phase boundaries), with
	 * their labels
	 * @return the SVG document
	 */
	static String lines(String title, String xLabel, String yLabel, Map<String, List<double[]>> series,
			Map<Double, String> marks) {
		double maxX = series.values().stream().flatMap(List::stream).mapToDouble((p) -> p[0]).max().orElse(1);
		double maxY = niceCeiling(
				series.values().stream().flatMap(List::stream).mapToDouble((p) -> p[1]).max().orElse(1));
		StringBuilder svg = begin(title);
		axes(svg, xLabel, yLabel, maxX, maxY);
		marks.forEach((x, label) -> {
			double px = px(x, maxX);
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>%n",
					px, TOP, px, HEIGHT - BOTTOM));
			svg.append(
					String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#555\">%s</text>%n",
							px + 3, TOP + 12, escape(label)));
		});
		int index = 0;
		for (Map.Entry<String, List<double[]>> line : series.entrySet()) {
			String color = COLORS[index % COLORS.length];
			StringBuilder points = new StringBuilder();
			for (double[] point : line.getValue()) {
				points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(point[0], maxX), py(point[1], maxY)));
			}
			svg.append(String.format(Locale.ROOT,
					"<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", color,
					points.toString().trim()));
			legend(svg, index, color, line.getKey());
			index++;
		}
		return svg.append("</svg>\n").toString();
	}

	/**
	 * A bar chart: for each group, one bar per series, y from 0, with a dashed line at a
	 * reference value.
	 * @param title the title
	 * @param yLabel what y is
	 * @param groups the groups, in order
	 * @param series the value of each series in each group (NaN for none), by its name
	 * @param reference the y of the dashed line, as 1 for a ratio
	 * @return the SVG document
	 */
	static String bars(String title, String yLabel, List<String> groups, Map<String, double[]> series,
			double reference) {
		// a little above the highest bar, so that its label stays inside
		double maxY = niceCeiling(1.08 * Math.max(reference,
				series.values()
					.stream()
					.flatMapToDouble(Arrays::stream)
					.filter((v) -> !Double.isNaN(v))
					.max()
					.orElse(reference)));
		StringBuilder svg = begin(title);
		axes(svg, null, yLabel, Double.NaN, maxY);
		double groupWidth = (double) (WIDTH - LEFT - RIGHT) / Math.max(1, groups.size());
		double barWidth = groupWidth * 0.8 / Math.max(1, series.size());
		for (int group = 0; group < groups.size(); group++) {
			double x0 = LEFT + group * groupWidth + groupWidth * 0.1;
			svg.append(String.format(Locale.ROOT,
					"<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>%n",
					LEFT + (group + 0.5) * groupWidth, HEIGHT - BOTTOM + 18, escape(groups.get(group))));
			int index = 0;
			for (double[] values : series.values()) {
				double value = values[group];
				if (!Double.isNaN(value)) {
					double top = py(value, maxY);
					svg.append(String.format(Locale.ROOT,
							"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%.2f</title></rect>%n",
							x0 + index * barWidth, top, barWidth * 0.9, (HEIGHT - BOTTOM) - top,
							COLORS[index % COLORS.length], value));
					svg.append(String.format(Locale.ROOT,
							"<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" text-anchor=\"middle\">%.2f</text>%n",
							x0 + index * barWidth + barWidth * 0.45, top - 3, value));
				}
				index++;
			}
		}
		double ry = py(reference, maxY);
		svg.append(String.format(Locale.ROOT,
				"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\" stroke-dasharray=\"6 3\"/>%n", LEFT,
				ry, WIDTH - RIGHT, ry));
		int index = 0;
		for (String name : series.keySet()) {
			legend(svg, index, COLORS[index % COLORS.length], name);
			index++;
		}
		return svg.append("</svg>\n").toString();
	}

	private static StringBuilder begin(String title) {
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
						+ "font-family=\"sans-serif\">%n",
				WIDTH, HEIGHT, WIDTH, HEIGHT));
		svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		svg.append(
				String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
						LEFT, TOP - 15, escape(title)));
		return svg;
	}

	/** The axes, with five ticks on y, and on x too unless {@code maxX} is NaN. */
	private static void axes(StringBuilder svg, String xLabel, String yLabel, double maxX, double maxY) {
		svg.append(String.format(Locale.ROOT,
				"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n"
						+ "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
				LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, LEFT, TOP, LEFT, HEIGHT - BOTTOM));
		for (int i = 0; i <= 5; i++) {
			double value = maxY * i / 5;
			double y = py(value, maxY);
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
							+ "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n",
					LEFT, y, WIDTH - RIGHT, y, LEFT - 5, y + 4, label(value)));
			if (!Double.isNaN(maxX)) {
				double x = px(maxX * i / 5, maxX);
				svg.append(String.format(Locale.ROOT,
						"<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n", x,
						HEIGHT - BOTTOM + 15, label(maxX * i / 5)));
			}
		}
		if (xLabel != null) {
			svg.append(String.format(Locale.ROOT,
					"<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>%n",
					(LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12, escape(xLabel)));
		}
		svg.append(String.format(Locale.ROOT,
				"<text x=\"15\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 15 %d)\">%s</text>%n",
				(TOP + HEIGHT - BOTTOM) / 2, (TOP + HEIGHT - BOTTOM) / 2, escape(yLabel)));
	}

	private static void legend(StringBuilder svg, int index, String color, String name) {
		int y = TOP + 10 + index * 20;
		svg.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"%s\"/>"
						+ "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>%n",
				WIDTH - RIGHT + 15, y - 9, color, WIDTH - RIGHT + 35, y, escape(name)));
	}

	private static double px(double x, double maxX) {
		return LEFT + x / maxX * (WIDTH - LEFT - RIGHT);
	}

	private static double py(double y, double maxY) {
		return HEIGHT - BOTTOM - y / maxY * (HEIGHT - TOP - BOTTOM);
	}

	/** The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least a value. */
	static double niceCeiling(double value) {
		if (!(value > 0)) {
			return 1;
		}
		double power = Math.pow(10, Math.floor(Math.log10(value)));
		for (double step : new double[] { 1, 2, 2.5, 5, 10 }) {
			if (step * power >= value) {
				return step * power;
			}
		}
		return 10 * power;
	}

	private static String label(double value) {
		return (value == Math.rint(value)) ? String.format(Locale.ROOT, "%.0f", value)
				: String.format(Locale.ROOT, "%.2f", value);
	}

	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '&' -> escaped.append("&amp;");
				case '"' -> escaped.append("&quot;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
