// The parts of Apache ECharts the app uses, registered once. Loaded on demand by Chart.tsx, so
// ECharts sits in its own chunk and is fetched when the first chart shows.
import { BarChart, LineChart, PieChart } from "echarts/charts";
import { AriaComponent, DatasetComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from "echarts/components";
import { init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, DatasetComponent, AriaComponent, SVGRenderer]);

export { init };
