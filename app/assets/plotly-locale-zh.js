/* Plotly's own interface (mode-bar buttons, notices) in Simplified Chinese, for pages opened with ?lang=zh
   (components.figure_block sets config.locale = "zh-CN"). Same shape as plotly.js's dist/plotly-locale-zh-cn.js:
   registered now if Plotly is loaded, else queued on window.PlotlyLocales, which Plotly reads when it loads. */
(function () {
    var locale = {
        moduleType: "locale",
        name: "zh-CN",
        dictionary: {
            "Autoscale": "自动缩放",
            "Box Select": "矩形框选",
            "Compare data on hover": "悬停时比较数据",
            "Double-click to zoom back out": "双击以缩小",
            "Download plot": "下载图表",
            "Download plot as a PNG": "将图表下载为PNG图片",
            "Download plot as a png": "将图表下载为PNG图片",
            "Download plot as JSON": "将图表下载为JSON",
            "Lasso Select": "套索选择",
            "Pan": "平移",
            "Reset": "重置",
            "Reset axes": "重置坐标轴",
            "Reset view": "重置视图",
            "Reset views": "重置视图",
            "Show closest data on hover": "悬停时显示最近的数据",
            "Snapshot succeeded": "快照已生成",
            "Sorry, there was a problem downloading your snapshot!": "抱歉，下载快照时出现问题！",
            "Taking snapshot - this may take a few seconds": "正在生成快照，可能需要几秒钟",
            "Toggle Spike Lines": "显示/隐藏辅助线",
            "Toggle show closest data on hover": "显示/隐藏悬停时最近的数据",
            "Zoom": "缩放",
            "Zoom in": "放大",
            "Zoom out": "缩小",
            "Click to enter Colorscale title": "点击输入色阶标题",
            "Click to enter Plot title": "点击输入图表标题",
            "Click to enter X axis title": "点击输入X轴标题",
            "Click to enter Y axis title": "点击输入Y轴标题",
            "Click to enter Component A title": "点击输入组分A标题",
            "Click to enter Component B title": "点击输入组分B标题",
            "Click to enter Component C title": "点击输入组分C标题",
            "new text": "新文本",
            "trace": "数据系列"
        },
        format: {
            days: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
            shortDays: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
            months: ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
            shortMonths: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
            date: "%Y-%m-%d",
            decimal: ".",
            thousands: ","
        }
    };
    if (typeof window.Plotly !== "undefined" && window.Plotly.register) {
        window.Plotly.register(locale);
    } else {
        window.PlotlyLocales = window.PlotlyLocales || [];
        window.PlotlyLocales.push(locale);
    }
})();
