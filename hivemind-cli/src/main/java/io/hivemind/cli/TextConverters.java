package io.hivemind.cli;

import io.hivemind.sim.DurationText;
import io.hivemind.sim.Latency;
import io.hivemind.sim.PartitionWindow;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the simulator's text forms. Each turns a parse failure into picocli's
 * {@link TypeConversionException}, so the user sees one sentence naming the option and the value.
 */
final class TextConverters {

  private TextConverters() {}

  /** {@code 500ms}, {@code 90s}, {@code 10m}, {@code 1h}, {@code 1m30s} → milliseconds. */
  static final class Millis implements ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
      try {
        return DurationText.parseMillis(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code 2ms}, {@code 1-5ms}, {@code 20±5ms} or {@code 20+-5ms}. */
  static final class LatencyText implements ITypeConverter<Latency> {
    @Override
    public Latency convert(String text) {
      try {
        return Latency.parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code START+LENGTH}, such as {@code 60s+30s}. */
  static final class PartitionText implements ITypeConverter<PartitionWindow> {
    @Override
    public PartitionWindow convert(String text) {
      try {
        return PartitionWindow.parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A fraction ({@code 0.05}) or a percentage ({@code 5%}) in [0, 1). */
  static final class Fraction implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      String trimmed = text.trim();
      boolean percent = trimmed.endsWith("%");
      try {
        double value =
            Double.parseDouble(percent ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
        double fraction = percent ? value / 100 : value;
        if (!(fraction >= 0 && fraction < 1)) {
          throw new TypeConversionException(
              "'" + text + "' is out of range: use a fraction in [0, 1) such as 0.05, or 5%");
        }
        return fraction;
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "'" + text + "' is not a loss rate: use a fraction such as 0.05, or 5%");
      }
    }
  }
}
