// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Net;
using System.Text;

namespace Controller.HostSim.Reports;

/// <summary>
/// A small SVG chart: a plot area with axes (linear or log-10), tick labels, bars, lines, points and vertical
/// markers. Self-contained markup, no script, so a report page works offline and in any browser.
/// </summary>
internal sealed class SvgChart
{
    private const double Left = 70;
    private const double Right = 20;
    private const double Top = 30;
    private const double Bottom = 50;
    private readonly StringBuilder _body = new();
    private readonly List<(string Text, string Color)> _legends = [];
    private readonly double _width;
    private readonly double _height;
    private readonly Axis _x;
    private readonly Axis _y;

    /// <summary>Initializes a chart.</summary>
    /// <param name="width">Pixels.</param>
    /// <param name="height">Pixels.</param>
    /// <param name="x">The horizontal axis.</param>
    /// <param name="y">The vertical axis.</param>
    public SvgChart(double width, double height, Axis x, Axis y)
    {
        _width = width;
        _height = height;
        _x = x;
        _y = y;
    }

    private double PlotWidth => _width - Left - Right;

    private double PlotHeight => _height - Top - Bottom;

    /// <summary>Adds bars from x to x2 with height y.</summary>
    /// <param name="bars">Each bar's left and right edge and height.</param>
    /// <param name="color">The fill.</param>
    public void Bars(IEnumerable<(double X, double X2, double Y)> bars, string color)
    {
        foreach ((double x, double x2, double y) in bars)
        {
            double left = X(x);
            double width = Math.Max(1, X(x2) - left - 1);
            double top = Y(y);
            _body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left:F1}\" y=\"{top:F1}\" width=\"{width:F1}\" height=\"{Math.Max(0, Top + PlotHeight - top):F1}\" fill=\"{color}\"/>");
        }
    }

    /// <summary>Adds a line through points, with an optional legend entry.</summary>
    /// <param name="points">The points, in order.</param>
    /// <param name="color">The stroke.</param>
    /// <param name="legend">The legend text, or null.</param>
    /// <param name="markers">True to mark each point.</param>
    public void Line(IReadOnlyList<(double X, double Y)> points, string color, string? legend, bool markers = false)
    {
        StringBuilder path = new();
        foreach ((double x, double y) in points)
        {
            path.Append(CultureInfo.InvariantCulture, $"{X(x):F1},{Y(y):F1} ");
        }

        _body.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\" points=\"{path.ToString().TrimEnd()}\"/>");
        if (markers)
        {
            foreach ((double x, double y) in points)
            {
                _body.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(x):F1}\" cy=\"{Y(y):F1}\" r=\"3.5\" fill=\"{color}\"/>");
            }
        }

        if (legend is not null)
        {
            _legends.Add((legend, color));
        }
    }

    /// <summary>Adds a vertical marker at an x, labelled.</summary>
    /// <param name="x">Where.</param>
    /// <param name="label">The label.</param>
    /// <param name="color">The stroke.</param>
    public void Marker(double x, string label, string color)
    {
        double at = X(x);
        _body.Append(CultureInfo.InvariantCulture, $"<line x1=\"{at:F1}\" y1=\"{Top:F1}\" x2=\"{at:F1}\" y2=\"{Top + PlotHeight:F1}\" stroke=\"{color}\" stroke-dasharray=\"4 3\"/><text x=\"{at + 3:F1}\" y=\"{Top + 12:F1}\" fill=\"{color}\">{WebUtility.HtmlEncode(label)}</text>");
    }

    /// <summary>Renders the chart.</summary>
    /// <param name="title">Its title, above the plot.</param>
    /// <returns>The SVG element.</returns>
    public string Render(string title)
    {
        StringBuilder svg = new();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{_width:F0}\" height=\"{_height:F0}\" viewBox=\"0 0 {_width:F0} {_height:F0}\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"title\" x=\"{Left:F1}\" y=\"18\">{WebUtility.HtmlEncode(title)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left:F1}\" y=\"{Top:F1}\" width=\"{PlotWidth:F1}\" height=\"{PlotHeight:F1}\" class=\"plot\"/>");
        foreach (double tick in _x.Ticks())
        {
            double x = X(tick);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:F1}\" y1=\"{Top + PlotHeight:F1}\" x2=\"{x:F1}\" y2=\"{Top + PlotHeight + 5:F1}\" class=\"tick\"/><text x=\"{x:F1}\" y=\"{Top + PlotHeight + 18:F1}\" text-anchor=\"middle\">{Axis.Format(tick)}</text>");
        }

        foreach (double tick in _y.Ticks())
        {
            double y = Y(tick);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left:F1}\" y1=\"{y:F1}\" x2=\"{Left + PlotWidth:F1}\" y2=\"{y:F1}\" class=\"grid\"/><text x=\"{Left - 6:F1}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Axis.Format(tick)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (PlotWidth / 2):F1}\" y=\"{_height - 10:F1}\" text-anchor=\"middle\" class=\"label\">{WebUtility.HtmlEncode(_x.Label)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16 {Top + (PlotHeight / 2):F1}) rotate(-90)\" text-anchor=\"middle\" class=\"label\">{WebUtility.HtmlEncode(_y.Label)}</text>");
        svg.Append(_body);
        double legendX = _width - Right;
        for (int i = _legends.Count - 1; i >= 0; i--)
        {
            (string text, string color) = _legends[i];
            legendX -= 34 + (text.Length * 6.2);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{legendX:F1}\" y1=\"14\" x2=\"{legendX + 20:F1}\" y2=\"14\" stroke=\"{color}\" stroke-width=\"3\"/><text x=\"{legendX + 24:F1}\" y=\"18\">{WebUtility.HtmlEncode(text)}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private double X(double value)
    {
        return Left + (_x.Fraction(value) * PlotWidth);
    }

    private double Y(double value)
    {
        return Top + PlotHeight - (_y.Fraction(value) * PlotHeight);
    }

    /// <summary>An axis: its range, whether it is logarithmic, and its label.</summary>
    /// <param name="Min">The smallest value shown (above 0 on a log axis).</param>
    /// <param name="Max">The largest value shown.</param>
    /// <param name="Log">True for a log-10 axis.</param>
    /// <param name="Label">The axis title.</param>
    internal sealed record Axis(double Min, double Max, bool Log, string Label)
    {
        public static string Format(double value)
        {
            return value switch
            {
                >= 1e6 => (value / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
                >= 1e4 => (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
                >= 10 or 0 => value.ToString("0", CultureInfo.InvariantCulture),
                >= 1 => value.ToString("0.#", CultureInfo.InvariantCulture),
                _ => value.ToString("0.###", CultureInfo.InvariantCulture),
            };
        }

        public double Fraction(double value)
        {
            if (Log)
            {
                double v = Math.Log10(Math.Max(value, Min));
                return Math.Clamp((v - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min)), 0, 1);
            }

            return Math.Clamp((value - Min) / (Max - Min), 0, 1);
        }

        public IEnumerable<double> Ticks()
        {
            if (Log)
            {
                for (double decade = Math.Pow(10, Math.Floor(Math.Log10(Min))); decade <= Max * 1.0001; decade *= 10)
                {
                    if (decade >= Min * 0.9999)
                    {
                        yield return decade;
                    }
                }

                yield break;
            }

            double span = Max - Min;
            double step = Math.Pow(10, Math.Floor(Math.Log10(span / 4)));
            if (span / step > 10)
            {
                step *= 2;
            }

            for (double tick = Math.Ceiling(Min / step) * step; tick <= Max + (step / 1000); tick += step)
            {
                yield return tick;
            }
        }
    }
}
