"""The one core both front ends call: the AppService facade, sync control, interview tracking."""
